package taskvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static taskvec.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.cli.CliRun.Result;
import taskvec.store.repo.NewRun;

/** The --json outputs parse, and their top-level keys (the documented shape) stay as they are. */
class JsonOutputTest extends HeldServerTest {

    static JsonNode json(Result r) throws Exception {
        assertEquals(0, r.code(), r.err());
        return Json.MAPPER.readTree(r.out());
    }

    static List<String> keys(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static final List<String> RUN_KEYS = List.of("id", "name", "status", "started_at", "finished_at", "code_version", "device", "dtype", "error");

    @Test
    void runsAndStatus() throws Exception {
        long id = held.runs().create(new NewRun("json \"quoted\"", "{}", "test", null, null, "cpu", "float32"));
        JsonNode runs = json(run("runs", "--json"));
        assertEquals(List.of("runs"), keys(runs));
        JsonNode mine = null;
        for (JsonNode r : runs.get("runs")) if (r.get("id").asLong() == id) mine = r;
        assertEquals(RUN_KEYS, keys(mine));
        assertEquals("json \"quoted\"", mine.get("name").asText());
        assertTrue(mine.get("finished_at").isNull());

        JsonNode status = json(run("status", "--json", Long.toString(id)));
        assertEquals(List.of("run", "stages", "failed_items"), keys(status));
        assertEquals(RUN_KEYS, keys(status.get("run")));
        assertEquals(7, status.get("stages").size());
        JsonNode prepare = status.get("stages").get(0);
        assertEquals(List.of("stage", "status", "attempts", "items", "seconds", "reused_from_stage", "key"), keys(prepare));
        assertEquals(List.of("total", "done", "reused", "failed", "pending", "running"), keys(prepare.get("items")));
        assertEquals("not started", prepare.get("status").asText());
    }

    @Test
    void studyCheck(@TempDir Path dir) throws Exception {
        Path study = SmallStudy.write(dir, "json-check", "");
        JsonNode check = json(run("study", "check", "--json", study.toString()));
        assertEquals(List.of("file", "valid", "tasks", "settings"), keys(check));
        assertTrue(check.get("valid").asBoolean());
        assertEquals("pair-first", check.get("tasks").get(0).get("task").asText());
        assertEquals(List.of("task", "val", "test"), keys(check.get("tasks").get(0)));
        assertEquals(3, check.get("settings").get("shots").asInt());
    }

    @Test
    void modelInfo() throws Exception {
        Path model = SmallStudy.ROOT.resolve("modules/model/src/test/resources/fixtures/llava-clip-llama/model");
        JsonNode info = json(run("model", "info", "--json", model.toString()));
        assertEquals(List.of("folder", "architecture", "model_type", "text_model_type", "layers", "hidden_size", "heads", "kv_heads",
                "vocab_size", "vision", "parameters", "dtype", "device", "files"), keys(info));
        assertEquals(4, info.get("layers").asInt());
        assertEquals("llava (clip vision tower, llama decoder)", info.get("architecture").asText());
        boolean weights = false;
        for (JsonNode f : info.get("files")) {
            assertEquals(List.of("path", "sha256"), keys(f));
            assertTrue(f.get("sha256").asText().matches("[0-9a-f]{64}"));
            weights |= f.get("path").asText().equals("model.safetensors");
        }
        assertTrue(weights, info.toString());
        assertTrue(Files.isDirectory(Path.of(info.get("folder").asText())));
    }
}
