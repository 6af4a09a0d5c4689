package taskvec.organism.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import taskvec.organism.ProjectData;
import taskvec.organism.train.OrganismFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's organism table is read from the committed eval.json files (what `organism eval` wrote): every cell
 * equals its folder's value rounded as printed, every measured key has a row, and each eval.json is of the weights
 * that ship beside it, over every test item.
 */
class ReadmeOrganismNumbersTest {

    /** The table's key column header; the columns after it are headed by the folders whose eval.json they show. */
    private static final String KEY_COLUMN = "`eval.json` key";
    /** What eval.json holds besides measurements. */
    private static final Set<String> NOT_MEASURED = Set.of("seed", "items_per_task", "model.safetensors");

    @Test
    void everyOrganismNumberOfTheReadmeEqualsItsEvalJsonValue() throws IOException {
        Path root = ProjectData.root();
        List<List<String>> table = organismTable(Files.readString(root.resolve("README.md")));
        List<String> header = table.get(0);
        int keyColumn = header.indexOf(KEY_COLUMN);
        assertTrue(keyColumn >= 0, "the organism table has no " + KEY_COLUMN + " column: " + header);
        Map<String, JsonNode> evals = new LinkedHashMap<>();
        for (String folder : header.subList(keyColumn + 1, header.size())) {
            Path dir = root.resolve(folder.replace("`", ""));
            JsonNode eval = new ObjectMapper().readTree(dir.resolve("eval.json").toFile());
            assertEquals(OrganismFolder.sha256(dir.resolve("model.safetensors")), eval.path("model.safetensors").asText(),
                    dir + "/eval.json is not of the weights beside it: run `./taskvec organism eval " + folder + "` again");
            assertEquals("all", eval.path("items_per_task").asText(), dir + "/eval.json measured a subset");
            evals.put(folder, eval);
        }
        assertEquals(List.of("`data/organism`", "`data/organism-llm`"), List.copyOf(evals.keySet()), "the table's folders");

        Map<String, Set<String>> shown = new LinkedHashMap<>();
        evals.keySet().forEach(f -> shown.put(f, new LinkedHashSet<>()));
        for (List<String> row : table.subList(2, table.size())) {
            String key = row.get(keyColumn).replace("`", "");
            int column = keyColumn + 1;
            for (Map.Entry<String, JsonNode> e : evals.entrySet()) {
                String cell = row.get(column++);
                JsonNode value = e.getValue().get(key);
                if (cell.equals("-")) {
                    assertTrue(value == null, e.getKey() + " measures " + key + " = " + value + " but the README shows none");
                } else {
                    assertTrue(value != null, "the README shows " + key + " = " + cell + " but " + e.getKey() + "/eval.json has none");
                    assertEquals(printed(value), cell, key + " of " + e.getKey());
                    shown.get(e.getKey()).add(key);
                }
            }
        }
        for (Map.Entry<String, JsonNode> e : evals.entrySet()) {
            Iterator<String> keys = e.getValue().fieldNames();
            while (keys.hasNext()) {
                String key = keys.next();
                assertTrue(NOT_MEASURED.contains(key) || shown.get(e.getKey()).contains(key),
                        e.getKey() + "/eval.json measures " + key + " but the README's organism table does not show it");
            }
        }
        assertTrue(shown.get("`data/organism`").size() >= 12, "rows of the VLM: " + shown);
    }

    /** How the README prints a value: accuracies to two decimals, layer indices as they are, lists and maps joined. */
    static String printed(JsonNode value) {
        if (value.isContainerNode()) {
            List<String> parts = new ArrayList<>();
            value.elements().forEachRemaining(v -> parts.add(printed(v)));
            return String.join(", ", parts);
        }
        return value.isIntegralNumber() ? value.asText() : String.format(Locale.ROOT, "%.2f", value.asDouble());
    }

    /** The rows (header, separator, body) of the first table with the key column in the README's organism section. */
    static List<List<String>> organismTable(String readme) {
        int start = readme.indexOf("\n## The embedded organism");
        assertTrue(start >= 0, "README has no section 'The embedded organism'");
        int end = readme.indexOf("\n## ", start + 1);
        List<List<String>> table = new ArrayList<>();
        for (String line : readme.substring(start, end < 0 ? readme.length() : end).split("\n")) {
            if (line.startsWith("|") && (!table.isEmpty() || line.contains(KEY_COLUMN))) {
                List<String> cells = new ArrayList<>();
                for (String c : line.substring(1, line.lastIndexOf('|')).split("\\|", -1)) cells.add(c.strip());
                table.add(cells);
            } else if (!table.isEmpty()) {
                break;
            }
        }
        assertFalse(table.size() < 3, "README's organism section has no table with a " + KEY_COLUMN + " column");
        return table;
    }

    @Test
    void valuesArePrintedAsTheReadmePrintsThem() throws IOException {
        ObjectMapper json = new ObjectMapper();
        assertEquals("0.96", printed(json.readTree("0.9583333333333334")));
        assertEquals("1", printed(json.readTree("1")));
        assertEquals("0.95, 0.10", printed(json.readTree("[0.9537, 0.1003]")));
        assertEquals("0.95, 0.10", printed(json.readTree("{\"0\": 0.9537, \"4\": 0.1003}")));
    }
}
