package taskvec.study.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import taskvec.study.StudyInputException;

/**
 * A node of a parsed study file together with its path ({@code interventions.alphas[1]}), so
 * every error names the file, the key and the problem. Reading a key marks it known; {@link
 * #rejectUnknownKeys()} then reports anything left.
 */
final class StudyNode {
    private final String file;
    private final String path;
    private final JsonNode node;
    private final Set<String> known = new LinkedHashSet<>();

    StudyNode(String file, String path, JsonNode node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    String path() {
        return path;
    }

    JsonNode raw() {
        return node;
    }

    boolean isMissing() {
        return node == null || node.isMissingNode() || node.isNull();
    }

    StudyInputException error(String problem) {
        return new StudyInputException(file + ": " + (path.isEmpty() ? "" : path + ": ") + problem);
    }

    StudyNode field(String key) {
        known.add(key);
        if (!isMissing() && !node.isObject()) throw error("must be a mapping");
        JsonNode child = isMissing() ? null : node.get(key);
        return new StudyNode(file, path.isEmpty() ? key : path + "." + key, child);
    }

    List<StudyNode> elements() {
        if (!node.isArray()) throw error("must be a list");
        List<StudyNode> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) out.add(new StudyNode(file, path + "[" + i + "]", node.get(i)));
        return out;
    }

    void requireMapping() {
        if (!isMissing() && !node.isObject()) throw error("must be a mapping");
    }

    void rejectUnknownKeys() {
        if (isMissing() || !node.isObject()) return;
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                String where = path.isEmpty() ? name : path + "." + name;
                throw new StudyInputException(file + ": " + where + ": unknown key (known here: " + String.join(", ", known) + ")");
            }
        }
    }

    String text() {
        if (!node.isTextual() || node.asText().isBlank()) throw error("must be a non-empty string");
        return node.asText();
    }

    String textOr(String fallback) {
        return isMissing() ? fallback : text();
    }

    boolean bool() {
        if (!node.isBoolean()) throw error("must be true or false");
        return node.asBoolean();
    }

    boolean boolOr(boolean fallback) {
        return isMissing() ? fallback : bool();
    }

    /** An integer in min..max; the message gives the bound, so a huge value is refused with its reason. */
    int intInRange(int min, int max) {
        String atLeast = min == 1 ? "must be a positive integer" : "must be an integer >= " + min;
        if (!node.isIntegralNumber() || node.bigIntegerValue().signum() < 0 && min >= 0) throw error(atLeast);
        if (!node.canConvertToInt() || node.asInt() > max) throw error("must be at most " + max + ", got " + node.asText());
        if (node.asInt() < min) throw error(atLeast);
        return node.asInt();
    }

    int intInRangeOr(int min, int max, int fallback) {
        return isMissing() ? fallback : intInRange(min, max);
    }

    double finiteNumber() {
        if (!node.isNumber() || !Double.isFinite(node.asDouble())) throw error("must be a number");
        return node.asDouble();
    }
}
