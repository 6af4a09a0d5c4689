package taskvec.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.store.DbSettings;
import taskvec.store.Store;
import taskvec.store.repo.NewRun;
import taskvec.store.repo.Prediction;
import taskvec.store.repo.Status;
import taskvec.store.repo.Vector;

/** A run made through the repositories, exported and read back with each format's own reader. */
class RunExportTest {
    static Store store;
    static long run;
    static long meanLayer1;

    @BeforeAll
    static void aRun() {
        store = Store.open(DbSettings.embedded(DbSettings.home(System.getenv())));
        run = store.runs().create(new NewRun("export test", "{\"shots\": 3}", "0.1.0-test", "[{\"name\": \"m\", \"files\": {\"a\": \"00\"}}]",
                "{\"djl\": \"0.36.0\"}", "cpu", "float32"));
        List<Vector> vectors = new ArrayList<>();
        for (int layer = 0; layer < 3; layer++) {
            vectors.add(Vector.of(run, "m", "country-capital", "text-examples", 1, layer, Vector.Kind.MEAN, "", null,
                    new float[] {layer, -1.5f, Float.MIN_VALUE, 1e30f}, List.of()));
            vectors.add(Vector.of(run, "m", "country-capital", "text-examples", 1, layer, Vector.Kind.PROMPT, "val-7", null,
                    new float[] {layer + 0.25f, 2, 3, 4}, List.of()));
        }
        vectors.add(Vector.of(run, "src", "country-capital", "source:instruction", 2, 1, Vector.Kind.ENSEMBLE, "", null,
                new float[] {9, 8, 7, 6}, List.of()));
        List<Long> ids = store.vectors().insertAll(vectors);
        meanLayer1 = ids.get(2);
        store.predictions().insertAll(List.of(
                new Prediction(run, "m", "country-capital", 1, "test", "q1", "no_context", null, "image", null, null, null,
                        "it's \"Paris\", no", false, null),
                new Prediction(run, "m", "country-capital", 1, "test", "q1", "patch", "text-examples", "image", 1, "add", 0.5f,
                        "Paris", true, meanLayer1)));
        store.metrics().put(run, "best_layer", "{\"task\": \"country-capital\", \"spec\": \"text-examples\"}", 1);
        store.runs().setStatus(run, Status.DONE, null);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void parquetAndSafetensorsReadBackAsStored(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("out");
        RunExport.Result r = RunExport.write(store, run, dir, ExportFormat.PARQUET);
        assertEquals(3, r.tensors());
        assertEquals(3, ExportedFiles.checkVectors(store, run, dir.resolve(RunExport.VECTORS)));

        ExportedFiles.ParquetContent predictions = ExportedFiles.readParquet(dir.resolve("predictions.parquet"));
        assertEquals(2, predictions.rows().size());
        Map<String, Object> noContext = predictions.rows().get(0);
        assertEquals("it's \"Paris\", no", noContext.get("output"));
        assertNull(noContext.get("layer"));
        assertNull(noContext.get("alpha"));
        assertNull(noContext.get("vector"));
        assertEquals(false, noContext.get("correct"));
        Map<String, Object> patch = predictions.rows().get(1);
        assertEquals(1, patch.get("layer"));
        assertEquals(0.5f, patch.get("alpha"));
        assertEquals(meanLayer1, patch.get("vector_id"));
        assertEquals("country-capital/text-examples/seed1/mean", patch.get("vector"));
        assertEquals("optional int32 layer", predictions.schema().getType("layer").toString());
        assertEquals("required binary output (STRING)", predictions.schema().getType("output").toString());

        ExportedFiles.ParquetContent metrics = ExportedFiles.readParquet(dir.resolve("metrics.parquet"));
        assertEquals(1, metrics.rows().size());
        assertEquals(1.0, metrics.rows().get(0).get("value"));
        assertEquals("best_layer", metrics.rows().get(0).get("name"));

        JsonNode json = RunExport.readRunJson(dir);
        assertEquals(run, json.get("run").asLong());
        assertEquals("0.1.0-test", json.get("code_version").asText());
        assertEquals("0.36.0", json.get("engine_versions").get("djl").asText());
        assertEquals(3, json.get("settings").get("shots").asInt());
        assertEquals("00", json.get("models").get(0).get("files").get("a").asText());
        for (String f : List.of("vectors.safetensors", "predictions.parquet", "metrics.parquet", "README.md")) {
            assertEquals(RunExport.sha256(dir.resolve(f)), json.get("files").get(f).asText(), f);
        }
        assertTrue(Files.readString(dir.resolve("README.md")).contains("pd.read_parquet(\"predictions.parquet\")"));
    }

    @Test
    void csvThroughTheProjectsWriter(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("csv");
        RunExport.write(store, run, dir, ExportFormat.PARQUET);
        RunExport.write(store, run, dir, ExportFormat.CSV); // over an earlier export: its Parquet tables go
        assertTrue(Files.notExists(dir.resolve("predictions.parquet")));
        List<String> lines = Files.readAllLines(dir.resolve("predictions.csv"));
        assertEquals("id,model,task,seed,split,item_id,condition,spec,modality,layer,mode,alpha,output,correct,vector_id,vector", lines.get(0));
        assertTrue(lines.get(1).endsWith(",test,q1,no_context,,image,,,,\"it's \"\"Paris\"\", no\",false,,"), lines.get(1));
        assertTrue(lines.get(2).endsWith(",patch,text-examples,image,1,add,0.5,Paris,true," + meanLayer1 + ",country-capital/text-examples/seed1/mean"),
                lines.get(2));
        assertEquals("id,name,keys,value", Files.readAllLines(dir.resolve("metrics.csv")).get(0));
        assertTrue(Files.readString(dir.resolve("README.md")).contains("pd.read_csv(\"predictions.csv\")"));
    }

    @Test
    void aFolderWithOtherFilesOrAnUnknownRunIsRefused(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("thesis.tex"), "mine");
        ExportInputException e = assertThrows(ExportInputException.class, () -> RunExport.write(store, run, tmp, ExportFormat.PARQUET));
        assertEquals(tmp + ": holds files an export does not write (thesis.tex); choose an empty or new folder with --out", e.getMessage());
        assertEquals("mine", Files.readString(tmp.resolve("thesis.tex")));
        ExportInputException none = assertThrows(ExportInputException.class,
                () -> RunExport.write(store, 987654321L, tmp.resolve("x"), ExportFormat.PARQUET));
        assertEquals("run 987654321: no such run", none.getMessage());
    }
}
