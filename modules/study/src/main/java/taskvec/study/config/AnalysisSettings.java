package taskvec.study.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import taskvec.study.StudyInputException;

/**
 * The study file's {@code analyses} mapping: which analyses run and their settings.
 * <pre>
 * analyses:
 *   phases: true            # three phases by logit lens
 *   input_token: auf        # the input probe's token (default: the delimiter token itself)
 *   task_words: {country-capital: capital}   # per task; defaults in DEFAULT_TASK_WORDS
 *   similarity: true        # cosines between task vectors and the 2-D map
 *   map_layer: 16           # the map's layer (default: the middle layer)
 *   conflict: true          # task conflict (needs two tasks of one domain)
 * </pre>
 */
public record AnalysisSettings(boolean phases, String inputToken, Map<String, String> taskWords, boolean similarity,
                               Integer mapLayer, boolean conflict) {

    /** The default task word per task (the paper's: capital, currency, species, baby, color, flavor). */
    public static final Map<String, String> DEFAULT_TASK_WORDS = Map.of(
            "country-capital", "capital",
            "country-currency", "currency",
            "animal-latin", "species",
            "animal-young", "baby",
            "food-color", "color",
            "food-flavor", "flavor");

    private static final Set<String> KEYS = Set.of("phases", "input_token", "task_words", "similarity", "map_layer", "conflict");

    public static AnalysisSettings defaults() {
        return new AnalysisSettings(true, null, DEFAULT_TASK_WORDS, true, null, true);
    }

    /** The task word of a task: the study's, else the default, else the task's name after its domain. */
    public String taskWord(String task) {
        String w = taskWords.get(task);
        if (w != null) return w;
        int i = task.lastIndexOf('-');
        return i < 0 ? task : task.substring(i + 1);
    }

    /** Parses the mapping (null or missing: defaults); a bad value is a StudyInputException naming file and key. */
    public static AnalysisSettings parse(String file, JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) return defaults();
        if (!n.isObject()) throw new StudyInputException(file + ": analyses: must be a mapping");
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) throw new StudyInputException(file + ": analyses." + k + ": unknown key (known here: " + String.join(", ", new TreeMap<>(Map.of(
                    "phases", 0, "input_token", 0, "task_words", 0, "similarity", 0, "map_layer", 0, "conflict", 0)).keySet()) + ")");
        }
        Map<String, String> words = new TreeMap<>(DEFAULT_TASK_WORDS);
        JsonNode tw = n.get("task_words");
        if (tw != null && !tw.isNull()) {
            if (!tw.isObject()) throw new StudyInputException(file + ": analyses.task_words: must be a mapping of task to word");
            for (Iterator<Map.Entry<String, JsonNode>> it = tw.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
                    throw new StudyInputException(file + ": analyses.task_words." + e.getKey() + ": must be a non-empty string");
                }
                words.put(e.getKey(), e.getValue().asText());
            }
        }
        JsonNode input = n.get("input_token");
        if (input != null && !input.isNull() && (!input.isTextual() || input.asText().isEmpty())) {
            throw new StudyInputException(file + ": analyses.input_token: must be a non-empty string");
        }
        JsonNode layer = n.get("map_layer");
        if (layer != null && !layer.isNull() && (!layer.isInt() || layer.asInt() < 0)) {
            throw new StudyInputException(file + ": analyses.map_layer: must be a layer index (0 or more)");
        }
        return new AnalysisSettings(bool(file, n, "phases"), input == null || input.isNull() ? null : input.asText(), Map.copyOf(words),
                bool(file, n, "similarity"), layer == null || layer.isNull() ? null : layer.asInt(), bool(file, n, "conflict"));
    }

    private static boolean bool(String file, JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) return true;
        if (!v.isBoolean()) throw new StudyInputException(file + ": analyses." + key + ": must be true or false");
        return v.asBoolean();
    }
}
