package taskvec.study.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import taskvec.study.StudyInputException;

/**
 * The items of every task and split, as imported from a dataset root. Image paths in items are
 * relative to {@link #root()}.
 */
public record Dataset(Path root, Map<String, Map<Split, List<TaskItem>>> tasks) {
    public Dataset {
        tasks = Map.copyOf(tasks);
    }

    public Set<String> taskNames() {
        return tasks.keySet();
    }

    public List<TaskItem> items(String task, Split split) {
        Map<Split, List<TaskItem>> splits = tasks.get(task);
        if (splits == null || !splits.containsKey(split)) {
            throw new StudyInputException(root + ": no " + split.fileName() + " split for task '" + task + "'");
        }
        return splits.get(split);
    }

    public TaskItem item(String task, Split split, String id) {
        for (TaskItem item : items(task, split)) {
            if (item.id().equals(id)) return item;
        }
        throw new StudyInputException(root + ": task '" + task + "' " + split.fileName() + " has no item '" + id + "'");
    }

    /** The absolute path of an item's image; a StudyInputException when the item has none. */
    public Path imagePath(TaskItem item) {
        if (!item.hasImage()) {
            throw new StudyInputException(root + ": item '" + item.id() + "' has no image");
        }
        return resolveImage(item.image());
    }

    /**
     * An image path as written in an annotation file, made absolute against the root; a
     * StudyInputException when it would lead outside the root ({@link #imagePathProblem}).
     */
    public Path resolveImage(String image) {
        String problem = imagePathProblem(root, image);
        if (problem != null) throw new StudyInputException(root + ": image '" + image + "': " + problem);
        return root.resolve(image).normalize();
    }

    /**
     * Why an image path is refused, or null: it must be relative, stay under the root once
     * normalised, and, when the file exists, its real path (symbolic links followed) must be under
     * the root's real path too. A dataset is someone else's file: it must not make taskvec read
     * (and hash into keys) files elsewhere on the machine.
     */
    public static String imagePathProblem(Path root, String image) {
        Path path;
        try {
            path = Path.of(image);
        } catch (InvalidPathException e) {
            return "'" + image + "' is not a valid path";
        }
        if (path.isAbsolute()) return "'" + image + "' is absolute; image paths are relative to the dataset root";
        Path resolved = root.resolve(path).normalize();
        if (!resolved.startsWith(root.normalize())) return "'" + image + "' leads outside the dataset root";
        if (!Files.exists(resolved)) return null; // a missing image is the input check's problem, with its own message
        try {
            Path real = resolved.toRealPath();
            if (!real.startsWith(root.toRealPath())) {
                return "'" + image + "' is a link to " + real + ", outside the dataset root";
            }
        } catch (IOException e) {
            return "'" + image + "' cannot be resolved: " + e.getMessage();
        }
        return null;
    }
}
