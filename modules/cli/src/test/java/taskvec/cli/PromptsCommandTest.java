package taskvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.cli.common.ExitCodes;

class PromptsCommandTest {
    static final Path MODEL = Path.of(System.getProperty("taskvec.fixtures", "../model/src/test/resources/fixtures"))
            .resolve("llava-clip-llama/model").toAbsolutePath();

    @TempDir Path dir;

    private Path study() throws IOException {
        Path ann = Files.createDirectories(dir.resolve("ds/annotations"));
        for (String task : new String[] {"a-x", "a-y"}) {
            for (String split : new String[] {"val", "test"}) {
                StringBuilder json = new StringBuilder("[");
                int base = split.equals("val") ? 10 : 20;
                for (int i = 0; i < 7; i++) {
                    json.append(i > 0 ? "," : "").append("{\"input\": \"w").append(base + i).append("\", \"output\": \"w")
                            .append(base + 30 + i).append("\", \"image\": \"images/").append(base + i).append(".png\"}");
                }
                Files.writeString(ann.resolve(task + "_" + split + ".json"), json.append("]").toString());
            }
        }
        Path study = dir.resolve("s.yaml");
        Files.writeString(study, "models: {target: {hf: org/model}}\ndataset: {root: " + dir.resolve("ds") + "}\ntasks: [a-x, a-y]\n"
                + "seeds: [1, 2]\nspecifications: {instructions: {a-x: \"w60 w61:\", a-y: \"w62:\"}}\n");
        return study;
    }

    @Test
    void printsOneJsonObjectPerPromptWithPositionsAndTokens() throws IOException {
        Path study = study();
        CliRun.Result o = CliRun.run("prompts", study.toString(), "--model-dir", MODEL.toString(),
                "--task", "a-x", "--seed", "2", "--split", "val");
        assertEquals(0, o.code(), o.err());
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : o.out().strip().split("\n")) lines.add(json.readTree(line));
        // val, seed 2, task a-x: 7 text + 7 image source prompts, the instruction, 7 image + 7 text queries, 4 pairs x 7 context prompts
        assertEquals(7 + 7 + 1 + 14 + 28, lines.size());
        for (JsonNode l : lines) {
            assertEquals("a-x", l.get("task").asText());
            assertEquals("val", l.path("split").asText("val"));
            assertTrue(l.get("seed").isNull() || l.get("seed").asInt() == 2);
            assertEquals(":", l.get("write_token").asText());
            assertEquals(l.get("length").asInt() - 1, l.get("write_position").asInt());
            for (String f : new String[] {"item", "spec", "modality", "text", "demos"}) assertTrue(l.has(f), f + " in " + l);
            boolean source = l.get("role").asText().equals("source");
            assertEquals(source, l.has("read_position"), l.toString());
            if (source) {
                assertEquals(":", l.get("read_token").asText());
                if (!l.get("spec").asText().equals("instruction")) assertEquals(5, l.get("demos").size());
            }
        }
        JsonNode image = lines.stream().filter(l -> l.get("spec").asText().equals("image-examples")).findFirst().orElseThrow();
        assertTrue(image.get("text").asText().startsWith("Q:<image>\nA:w"), image.toString());
        assertEquals(6, image.get("images").size());
        // limit
        o = CliRun.run("prompts", study.toString(), "--model-dir", MODEL.toString(), "--limit", "3");
        assertEquals(3, o.out().strip().split("\n").length);
    }

    @Test
    void badArgumentsAreInvalidInput() throws IOException {
        Path study = study();
        CliRun.Result o = CliRun.run("prompts", study.toString());
        assertEquals(ExitCodes.INVALID_INPUT, o.code());
        assertTrue(o.err().contains("--model-dir"), o.err());
        o = CliRun.run("prompts", study.toString(), "--model-dir", MODEL.toString(), "--task", "nope");
        assertEquals(ExitCodes.INVALID_INPUT, o.code());
        assertFalse(o.err().contains("internal error"), o.err());
        o = CliRun.run("prompts", study.toString(), "--model-dir", MODEL.toString(), "--split", "train");
        assertEquals(ExitCodes.INVALID_INPUT, o.code());
        assertTrue(o.err().contains("split must be val or test"), o.err());
    }
}
