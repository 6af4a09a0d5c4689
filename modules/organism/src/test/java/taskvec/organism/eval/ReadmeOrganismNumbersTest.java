package taskvec.organism.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import taskvec.organism.ProjectData;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's organism table is read from the committed evidence: every row names its eval.json key, and each
 * number in it equals that key's value in data/organism/eval.json (VLM column) or data/organism-llm/eval.json
 * (language model column), as written by `organism eval`, to the two places shown; a dash stands for a key the
 * folder's evaluation does not have.
 */
class ReadmeOrganismNumbersTest {

    private static final Pattern ROW = Pattern.compile("^\\| ([^|]+) \\| `([a-z0-9_]+)` \\| ([^|]+) \\| ([^|]+) \\|$");

    @Test
    void everyOrganismNumberInTheReadmeEqualsItsEvalJsonValue() throws Exception {
        Path root = ProjectData.root();
        ObjectMapper json = new ObjectMapper();
        JsonNode vlm = json.readTree(root.resolve("data/organism/eval.json").toFile());
        JsonNode llm = json.readTree(root.resolve("data/organism-llm/eval.json").toFile());
        List<String> rows = new ArrayList<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(root.resolve("README.md"))) {
            if (line.startsWith("## ")) {
                inSection = line.equals("## The embedded organism");
            }
            Matcher m = ROW.matcher(line);
            if (inSection && m.matches()) {
                String key = m.group(2);
                assertEquals(shown(vlm.get(key)), m.group(3).strip(), "README row '" + m.group(1) + "', VLM column (" + key + ")");
                assertEquals(shown(llm.get(key)), m.group(4).strip(), "README row '" + m.group(1) + "', language model column (" + key + ")");
                rows.add(key);
            }
        }
        assertTrue(rows.contains("text_examples") && rows.contains("image_examples") && rows.contains("instructions")
                && rows.contains("naming") && rows.contains("replace_patch_text_to_image"), "rows checked: " + rows);
    }

    @Test
    void theEvaluationsAreOfTheCommittedWeights() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String folder : List.of("data/organism", "data/organism-llm")) {
            Path dir = ProjectData.root().resolve(folder);
            JsonNode eval = json.readTree(dir.resolve("eval.json").toFile());
            assertEquals(taskvec.organism.train.OrganismFolder.sha256(dir.resolve("model.safetensors")),
                    eval.path("model.safetensors").asText(), folder + "/eval.json evaluated other weights");
        }
    }

    /** How the README shows a value: two places; an integer (a layer) as it is; a list or map as its values; none as a dash. */
    static String shown(JsonNode v) {
        if (v == null || v.isNull()) {
            return "—";
        }
        if (v.isIntegralNumber()) {
            return Long.toString(v.asLong());
        }
        if (v.isNumber()) {
            return String.format(Locale.ROOT, "%.2f", v.asDouble());
        }
        List<String> parts = new ArrayList<>();
        v.elements().forEachRemaining(e -> parts.add(shown(e)));
        return String.join(", ", parts);
    }
}
