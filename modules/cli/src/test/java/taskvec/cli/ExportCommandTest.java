package taskvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static taskvec.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.cli.CliRun.Result;
import taskvec.cli.common.ExitCodes;
import taskvec.export.ExportedFiles;
import taskvec.export.RunExport;

/** The fixture study run quietly, then exported and read back: every tensor and hash against the database. */
class ExportCommandTest extends HeldServerTest {

    @Test
    void aQuietRunThenItsExportReadsBackAsStored(@TempDir Path tmp) throws Exception {
        Path study = SmallStudy.write(tmp, "export-study", "");
        Result ran = run("run", "-q", study.toString());
        assertEquals(0, ran.code(), ran.err());
        assertTrue(ran.out().matches("\\d+\n"), "-q prints only the run id: " + ran.out());
        assertEquals("", ran.err());
        long id = Long.parseLong(ran.out().strip());

        Path dir = tmp.resolve("export");
        Result exported = run("export", Long.toString(id), "--out", dir.toString());
        assertEquals(0, exported.code(), exported.err());
        assertTrue(exported.out().startsWith("run " + id + " exported to " + dir + ": "), exported.out());

        int tensors = ExportedFiles.checkVectors(held, id, dir.resolve(RunExport.VECTORS));
        assertTrue(tensors > 10, tensors + " tensors");
        List<java.util.Map<String, Object>> predictions = ExportedFiles.readParquet(dir.resolve("predictions.parquet")).rows();
        assertEquals(held.predictions().count(id), predictions.size());
        assertTrue(predictions.stream().anyMatch(p -> p.get("vector") != null), "patched predictions name their tensor");
        List<java.util.Map<String, Object>> metrics = ExportedFiles.readParquet(dir.resolve("metrics.parquet")).rows();
        Result metricCount = run("sql", "--csv", "--set", "run=" + id, "SELECT count(*) FROM metrics WHERE run_id = :run");
        assertEquals(Long.parseLong(metricCount.out().lines().toList().get(1)), metrics.size());
        JsonNode json = RunExport.readRunJson(dir);
        assertEquals(id, json.get("run").asLong());
        assertTrue(json.get("models").get(0).get("files").size() > 0, json.toString());
        assertTrue(Files.readString(dir.resolve("README.md")).contains("safe_open(\"vectors.safetensors\""));

        Result csv = run("export", "-q", Long.toString(id), "--out", tmp.resolve("csv").toString(), "--format", "CSV");
        assertEquals(tmp.resolve("csv") + "\n", csv.out());
        List<String> csvLines = Files.readAllLines(tmp.resolve("csv/predictions.csv"));
        assertTrue(csvLines.get(0).startsWith("id,model,task,seed,split,item_id,condition,"), csvLines.get(0));
        assertTrue(csvLines.size() >= predictions.size() + 1, "a line per prediction (an output may hold a quoted line break)");

        Result bad = run("export", "--format", "xlsx", Long.toString(id));
        assertEquals(ExitCodes.INVALID_INPUT, bad.code());
        Result notARun = run("export", "yesterday");
        assertEquals(ExitCodes.INVALID_INPUT, notARun.code());
        assertTrue(notARun.err().contains("RUN 'yesterday': not a run id or 'latest'"), notARun.err());
    }
}
