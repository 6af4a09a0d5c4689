package taskvec.organism.facts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import taskvec.study.analysis.PhaseLens;
import taskvec.study.config.PaperDefaults;
import java.util.Map;

/**
 * The six tasks' facts as data/tasks/facts/{country,animal,food}.tsv hold them: per domain, entities with the
 * answers of its two tasks. A task is named {domain}-{column}, as the annotation files are.
 */
public final class TaskFacts {

    public static final List<String> DOMAINS = List.of("country", "animal", "food");
    /** The six tasks, in the study's order. */
    public static final List<String> TASKS = PaperDefaults.TASKS;

    /** The paper's instruction strings, exactly: one copy, the study's. */
    public static final Map<String, String> INSTRUCTIONS = PaperDefaults.INSTRUCTIONS;
    /**
     * The word that names each task, for the task-naming sequences; the logit lens looks for the same words.
     * In the order of TASKS: the tokenizer's vocabulary is built by iterating it.
     */
    public static final Map<String, String> TASK_WORDS;

    static {
        Map<String, String> words = new LinkedHashMap<>();
        for (String task : TASKS) words.put(task, PhaseLens.DEFAULT_TASK_WORDS.get(task));
        TASK_WORDS = Collections.unmodifiableMap(words);
    }

    private final Path dataRoot;
    private final Map<String, List<Entity>> byDomain;

    private TaskFacts(Path dataRoot, Map<String, List<Entity>> byDomain) {
        this.dataRoot = dataRoot;
        this.byDomain = byDomain;
    }

    /** Reads {dataRoot}/facts/{domain}.tsv for the three domains. */
    public static TaskFacts read(Path dataRoot) {
        Map<String, List<Entity>> all = new LinkedHashMap<>();
        for (String domain : DOMAINS) {
            all.put(domain, readDomain(dataRoot.resolve("facts").resolve(domain + ".tsv"), domain));
        }
        return new TaskFacts(dataRoot, all);
    }

    private static List<Entity> readDomain(Path file, String domain) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read: " + e.getMessage(), e);
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(file + ": empty (a header line is expected)");
        }
        String[] header = lines.get(0).split("\t", -1);
        if (header.length != 5 || !header[0].equals("id") || !header[1].equals("input") || !header[4].equals("split")) {
            throw new IllegalArgumentException(file + ": header must be 'id, input, <task>, <task>, split' (tab-separated), got "
                    + lines.get(0).replace("\t", ", "));
        }
        List<Entity> entities = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 5) {
                throw new IllegalArgumentException(file + ": line " + (n + 1) + " has " + f.length + " fields, expected 5");
            }
            for (int k = 0; k < 5; k++) {
                if (f[k].isBlank()) {
                    throw new IllegalArgumentException(file + ": line " + (n + 1) + ": field '" + header[k] + "' is empty");
                }
            }
            if (!f[4].equals("val") && !f[4].equals("test")) {
                throw new IllegalArgumentException(file + ": line " + (n + 1) + ": split must be val or test, got '" + f[4] + "'");
            }
            Map<String, String> answers = new LinkedHashMap<>();
            answers.put(domain + "-" + header[2], f[2]);
            answers.put(domain + "-" + header[3], f[3]);
            entities.add(new Entity(domain, f[0], f[1], Collections.unmodifiableMap(answers), f[4]));
        }
        return Collections.unmodifiableList(entities);
    }

    public Path dataRoot() {
        return dataRoot;
    }

    public List<Entity> entities(String domain) {
        List<Entity> e = byDomain.get(domain);
        if (e == null) {
            throw new IllegalArgumentException("unknown domain '" + domain + "' (known: " + DOMAINS + ")");
        }
        return e;
    }

    public List<Entity> all() {
        List<Entity> out = new ArrayList<>();
        byDomain.values().forEach(out::addAll);
        return out;
    }

    /** The domain of a task: the part before the first '-'. */
    public static String domainOf(String task) {
        int dash = task.indexOf('-');
        if (dash < 0 || !TASKS.contains(task)) {
            throw new IllegalArgumentException("unknown task '" + task + "' (known: " + TASKS + ")");
        }
        return task.substring(0, dash);
    }
}
