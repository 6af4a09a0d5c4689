package taskvec.study.data;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import taskvec.study.StudyInputException;

/**
 * Reads a dataset in the paper's published layout: {@code ROOT/annotations/{task}_{val|test}.json},
 * each file a JSON list (or an object {@code {"data": [...]}}) of items
 * {@code {"input": ..., "output": ..., "image": ...}}, image paths relative to ROOT. Any number of
 * tasks works, so custom datasets in the same shape load too.
 *
 * <p>Item ids: the item's {@code id} field (string or integer) when present; otherwise
 * {@code "{split}-{index}"} with the 0-based index of the item in its file (e.g. {@code val-7}).
 * The derived id is stable as long as the file is not reordered. Ids must be unique within a file.
 * Fields other than id, input, output and image are ignored (the authors' files carry extras).
 * Images are not opened here (the run's input check decodes those its prompts need), but every
 * image path must stay inside ROOT ({@link Dataset#imagePathProblem}). Task names are file names,
 * so they are restricted to {@link #TASK_NAME}.
 */
public final class DatasetImporter {
    public static final String ANNOTATIONS = "annotations";
    /** Letters, digits, '-' and '_' (at most 64): a task name is part of a file name and never a path. */
    public static final Pattern TASK_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private DatasetImporter() {}

    /** Why a task name is refused, or null when it is fine. */
    public static String taskNameProblem(String task) {
        return TASK_NAME.matcher(task).matches() ? null
                : "task name '" + task + "' must be 1-64 letters, digits, '-' or '_', starting with a letter or digit"
                        + " (it names the annotation files)";
    }

    /** The file holding one task's split. */
    public static Path annotationFile(Path root, String task, Split split) {
        String problem = taskNameProblem(task);
        if (problem != null) throw new StudyInputException(root + ": " + problem);
        return root.resolve(ANNOTATIONS).resolve(task + "_" + split.fileName() + ".json");
    }

    /** Task names that have both a val and a test file under ROOT/annotations, sorted (names outside {@link #TASK_NAME} are not tasks). */
    public static List<String> discoverTasks(Path root) {
        Path dir = root.resolve(ANNOTATIONS);
        if (!Files.isDirectory(dir)) {
            throw new StudyInputException(dir + ": dataset folder not found (expected ROOT/annotations/{task}_{val|test}.json)");
        }
        Set<String> val = new TreeSet<>();
        Set<String> test = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).forEach(name -> {
                if (name.endsWith("_val.json")) val.add(name.substring(0, name.length() - "_val.json".length()));
                if (name.endsWith("_test.json")) test.add(name.substring(0, name.length() - "_test.json".length()));
            });
        } catch (IOException e) {
            throw new StudyInputException(dir + ": cannot list the folder: " + e.getMessage(), e);
        }
        val.retainAll(test);
        val.removeIf(task -> taskNameProblem(task) != null);
        if (val.isEmpty()) {
            throw new StudyInputException(dir + ": no task has both {task}_val.json and {task}_test.json");
        }
        return List.copyOf(val);
    }

    /** Loads every task found under ROOT/annotations. */
    public static Dataset load(Path root) {
        return load(root, discoverTasks(root));
    }

    /** Loads the named tasks (both splits each). */
    public static Dataset load(Path root, List<String> tasks) {
        Path absRoot = root.toAbsolutePath().normalize();
        Map<String, Map<Split, List<TaskItem>>> all = new LinkedHashMap<>();
        for (String task : tasks) {
            Map<Split, List<TaskItem>> splits = new LinkedHashMap<>();
            for (Split split : Split.values()) {
                splits.put(split, readSplit(annotationFile(absRoot, task, split), split, absRoot));
            }
            all.put(task, splits);
        }
        return new Dataset(absRoot, all);
    }

    /** Reads one annotation file of the dataset at root; every problem is reported with the file and the item's index. */
    public static List<TaskItem> readSplit(Path file, Split split, Path datasetRoot) {
        if (!Files.isRegularFile(file)) {
            throw new StudyInputException(file + ": file not found");
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new StudyInputException(file + ": not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ")", e);
        } catch (IOException e) {
            throw new StudyInputException(file + ": cannot read: " + e.getMessage(), e);
        }
        String prefix = "";
        if (root != null && root.isObject()) {
            if (!root.has("data")) {
                throw new StudyInputException(file + ": expected a list of items or an object with a \"data\" list");
            }
            root = root.get("data");
            prefix = "data";
        }
        if (root == null || !root.isArray()) {
            throw new StudyInputException(file + ": expected a list of items or an object with a \"data\" list");
        }
        if (root.isEmpty()) {
            throw new StudyInputException(file + ": " + (prefix.isEmpty() ? "the list" : prefix) + " has no items");
        }
        List<TaskItem> items = new ArrayList<>(root.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < root.size(); i++) {
            String where = file + ": " + prefix + "[" + i + "]";
            JsonNode node = root.get(i);
            if (!node.isObject()) throw new StudyInputException(where + ": expected an object with input and output");
            String input = requiredText(node, "input", where);
            String output = requiredText(node, "output", where);
            String image = optionalText(node, "image", where);
            String imageProblem = image == null ? null : Dataset.imagePathProblem(datasetRoot, image);
            if (imageProblem != null) throw new StudyInputException(where + ": image: " + imageProblem);
            String id = itemId(node, split, i, where);
            if (!ids.add(id)) throw new StudyInputException(where + ": duplicate id '" + id + "'");
            items.add(new TaskItem(id, input, output, image));
        }
        return List.copyOf(items);
    }

    private static String itemId(JsonNode node, Split split, int index, String where) {
        JsonNode id = node.get("id");
        if (id == null || id.isNull()) return split.fileName() + "-" + index;
        if (id.isTextual() && !id.asText().isBlank()) return id.asText();
        if (id.isIntegralNumber()) return id.asText();
        throw new StudyInputException(where + ": id: must be a non-empty string or an integer");
    }

    private static String requiredText(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) throw new StudyInputException(where + ": missing field '" + field + "'");
        if (!v.isTextual()) throw new StudyInputException(where + ": " + field + ": must be a string");
        if (v.asText().isBlank()) throw new StudyInputException(where + ": " + field + ": must not be empty");
        return v.asText();
    }

    private static String optionalText(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new StudyInputException(where + ": " + field + ": must be a non-empty string (a path relative to the dataset root)");
        }
        return v.asText();
    }
}
