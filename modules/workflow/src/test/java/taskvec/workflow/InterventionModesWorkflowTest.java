package taskvec.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.model.RuntimeSettings;
import taskvec.model.runtime.LoadedModel;
import taskvec.store.DbSettings;
import taskvec.store.Store;
import taskvec.store.repo.Status;
import taskvec.store.repo.Vector;
import taskvec.store.repo.WorkItem;
import taskvec.study.StudyInputException;
import taskvec.study.config.Study;
import taskvec.study.config.StudyFileReader;
import taskvec.study.data.DatasetImporter;
import taskvec.study.data.Split;
import taskvec.study.eval.InMemoryStudy;
import taskvec.study.eval.Prediction;
import taskvec.study.vectors.VectorMath;
import taskvec.workflow.context.StudyModel;

/**
 * The workflow runs what the in-memory study runs: both intervention modes (the additive one
 * against the domain's zero-shot query mean), the sample-efficiency curve and LLM->VLM vectors,
 * with the same answers as InMemoryStudy on the same study, and still reuses and resumes bit for
 * bit. Real embedded PostgreSQL, the llava-clip-llama fixture (llama-sharded as the LLM).
 */
class InterventionModesWorkflowTest {
    static final Path FIXTURES = TestStudies.MODEL.getParent().getParent();
    static final Path LLM = FIXTURES.resolve("llama-sharded/model");
    static final Path OTHER_VLM = FIXTURES.resolve("llava-siglip-qwen2/model");
    /** Two tasks of one domain (so the baseline averages both), both modes with two alphas, the curve up to r = 3. */
    static final String BOTH_MODES = """
            tasks: [pair-first, pair-second]
            specifications:
              text_examples: true
              image_examples: false
              instructions: {pair-first: "w30 w31:", pair-second: "w32 w33:"}
            interventions: {modes: [replace, add], alphas: [1.0, 0.5]}
            sample_efficiency: {enabled: true, max_prompts: 3}
            """;

    static Store store;
    @TempDir static Path dir;
    static Path data;
    static long freshRun;

    @BeforeAll
    static void open() throws Exception {
        store = Store.open(DbSettings.embedded(Path.of(System.getenv().getOrDefault("TASKVEC_HOME", "target/test-home"))));
        data = TestStudies.copyData(dir);
    }

    @AfterAll
    static void close() {
        if (store != null) store.close();
    }

    static Path bothModes(String name, Path dataRoot) throws Exception {
        return TestStudies.small(dir, name, dataRoot, TestStudies.MODEL, BOTH_MODES).toAbsolutePath();
    }

    static synchronized long freshBothModesRun() throws Exception {
        if (freshRun == 0) {
            try (StudyWorkflow wf = new StudyWorkflow(store, WorkflowOptions.defaults().withFresh(true))) {
                long id = wf.create(bothModes("both-modes", data), null, "both-modes", dir);
                RunOutcome out = wf.run(id);
                System.out.println("both modes, fresh: " + out.millis() + " ms, " + out.items());
                assertEquals(Status.DONE, out.status(), String.valueOf(out.failed()));
                freshRun = id;
            }
        }
        return freshRun;
    }

    static List<Map<String, Object>> query(String sql, Object... params) throws Exception {
        try (Connection c = store.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) {
                List<Map<String, Object>> out = new java.util.ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new HashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    out.add(row);
                }
                return out;
            }
        }
    }

    static long scalar(String sql, Object... params) throws Exception {
        return ((Number) query(sql, params).get(0).values().iterator().next()).longValue();
    }

    /** "split|task|seed|item|spec|modality|layer|mode|alpha" -> output, of a run's patch predictions. */
    static Map<String, String> patchOutputs(long runId) throws Exception {
        Map<String, String> out = new HashMap<>();
        for (var r : query("SELECT split, task, seed, item_id, spec, modality, layer, mode, alpha, output FROM predictions"
                + " WHERE run_id = ? AND condition = 'patch'", runId)) {
            String mode = r.get("mode").equals("replace") ? "replace" : "add@" + r.get("alpha");
            out.put(r.get("split") + "|" + r.get("task") + "|" + r.get("seed") + "|" + r.get("item_id") + "|" + r.get("spec") + "|"
                    + r.get("modality") + "|" + r.get("layer") + "|" + mode, (String) r.get("output"));
        }
        return out;
    }

    /** The same key for an in-memory prediction ("patch/text->image/ensemble/add@0.5"). */
    static String key(Prediction p) {
        String[] c = p.condition().split("/");
        String mode = c[3].startsWith("add@") ? "add@" + (float) Double.parseDouble(c[3].substring(4)) : c[3];
        String target = c[1].substring(c[1].indexOf('>') + 1);
        return p.split().fileName() + "|" + p.task() + "|" + p.seed() + "|" + p.item() + "|" + c[2] + "|" + target + "|" + p.layer() + "|" + mode;
    }

    @Test
    void bothModesAndTheCurveGiveInMemoryStudysPredictions() throws Exception {
        long runId = freshBothModesRun();
        Study study = StudyFileReader.read(bothModes("both-modes", data), dir);
        InMemoryStudy.Result mem;
        try (LoadedModel model = LoadedModel.load(TestStudies.MODEL, RuntimeSettings.defaults())) {
            mem = InMemoryStudy.run(study, DatasetImporter.load(study.datasetRoot(), study.tasks()), model, null);
        }
        Map<String, String> stored = patchOutputs(runId);
        int compared = 0;
        int added = 0;
        for (List<Prediction> split : List.of(mem.val(), mem.test())) {
            for (Prediction p : split) {
                if (!p.condition().startsWith("patch/")) continue;
                String k = key(p);
                assertTrue(stored.containsKey(k), "the workflow has " + k);
                assertEquals(p.prediction(), stored.get(k), k);
                compared++;
                if (k.contains("add@")) added++;
            }
        }
        assertEquals(stored.size(), compared, "the workflow patches exactly what InMemoryStudy patches");
        assertTrue(added > compared / 2, "add@1.0 and add@0.5 are two thirds of the patches: " + added + " of " + compared);
        // the layers chosen on val agree, per (vector, mode, alpha)
        for (var r : query("SELECT spec, modality, mode, alpha, layer FROM best_layer WHERE run_id = ?", runId)) {
            String mode = r.get("mode").equals("replace") ? "replace" : "add@" + formatAlpha(((Number) r.get("alpha")).doubleValue());
            String condition = "patch/text->" + r.get("modality") + "/" + r.get("spec") + "/" + mode;
            assertEquals(mem.bestLayers().get(condition), r.get("layer"), condition);
        }
        // the baseline: one per (domain, modality), the mean of both tasks' val queries, with them as parents
        int layers = 4;
        int valQueries = 8;
        assertEquals(2L * valQueries * layers, scalar("SELECT count(*) FROM vectors WHERE run_id = ? AND kind = 'query'", runId));
        assertEquals(layers, scalar("SELECT count(*) FROM vectors WHERE run_id = ? AND kind = 'baseline' AND task = 'pair'"
                + " AND spec = 'query:image'", runId));
        assertEquals(2L * valQueries, scalar("SELECT count(*) FROM vector_parents vp JOIN vectors v ON v.id = vp.vector_id"
                + " WHERE v.run_id = ? AND v.kind = 'baseline' AND v.layer = 2", runId));
        // the curve: r = 1..3 subsets and their ensembles, tested (only) at the full vectors' chosen layer
        assertEquals(2L * 3 * 2 * layers, scalar("SELECT count(*) FROM vectors WHERE run_id = ? AND kind = 'subset'", runId));
        assertEquals(2L, scalar("SELECT count(*) FROM vector_parents vp JOIN vectors v ON v.id = vp.vector_id"
                + " WHERE v.run_id = ? AND v.spec = 'subset-r2:text-examples' AND v.task = 'pair-first' AND v.layer = 0", runId));
        assertEquals(0L, scalar("SELECT count(*) FROM predictions WHERE run_id = ? AND spec LIKE 'subset-%' AND split = 'val'", runId));
        assertTrue(scalar("SELECT count(*) FROM predictions WHERE run_id = ? AND spec = 'subset-r3:ensemble' AND mode = 'add'"
                + " AND alpha = 0.5 AND split = 'test'", runId) > 0);
    }

    private static String formatAlpha(double a) {
        return a == Math.rint(a) ? Long.toString((long) a) : Double.toString(a);
    }

    @Test
    void aSecondRunReusesEverythingBitForBit() throws Exception {
        long first = freshBothModesRun();
        RunOutcome again;
        try (StudyWorkflow wf = new StudyWorkflow(store, WorkflowOptions.defaults())) {
            again = wf.run(wf.create(bothModes("both-modes", data), null, "both-modes-again", dir));
        }
        System.out.println("both modes, reused: " + again.millis() + " ms, " + again.items());
        assertEquals(Status.DONE, again.status());
        assertEquals(0, again.count(Status.DONE), "nothing recomputed");
        assertEquals(StudyWorkflowTest.digestOf(store, first, "vectors_sha256"), StudyWorkflowTest.digestOf(store, again.runId(), "vectors_sha256"));
        assertEquals(StudyWorkflowTest.digestOf(store, first, "predictions_sha256"),
                StudyWorkflowTest.digestOf(store, again.runId(), "predictions_sha256"));
    }

    /**
     * A val image that goes missing after the run started fails the zero-shot query capture; the baseline and the val evaluations
     * that need it fail at once (no retries: their input is missing, not flaky); once the image is
     * back, resume finishes the run with exactly the fresh run's vectors and predictions.
     */
    @Test
    void aFailedQueryCaptureFailsItsDependentsAtOnceAndResumeMatchesAFreshRun() throws Exception {
        long fresh = freshBothModesRun();
        Path brokenDir = Files.createDirectories(dir.resolve("broken"));
        Path brokenData = TestStudies.copyData(brokenDir);
        Path image = brokenData.resolve("images/w12.png");
        Path aside = brokenDir.resolve("w12.png");
        Path study = bothModes("both-modes-broken", brokenData);
        long runId;
        try (StudyWorkflow wf = new StudyWorkflow(store, WorkflowOptions.defaults().withFresh(true))) {
            runId = wf.create(study, null, "both-modes-broken", dir);
            Files.move(image, aside); // gone after the input check passed: the run meets it missing
            assertEquals(Status.FAILED, wf.run(runId).status());
        }
        List<WorkItem> failed = store.workItems().failed(runId);
        WorkItem baseline = failed.stream().filter(w -> w.stage().equals("average")).findFirst().orElseThrow();
        assertTrue(baseline.key().parts().get("item").has("domain"), baseline.key().parts().toString());
        assertEquals(1, baseline.attempts(), "an item whose input is missing is not retried");
        assertTrue(baseline.error().contains("capture did not finish"), baseline.error());
        assertTrue(failed.stream().anyMatch(w -> w.stage().equals("capture") && w.attempts() == 1 && w.error().contains("w12.png")));
        Files.move(aside, image);
        RunOutcome resumed;
        try (StudyWorkflow wf = new StudyWorkflow(store, WorkflowOptions.defaults().withFresh(true))) {
            resumed = wf.resume(runId);
        }
        assertEquals(Status.DONE, resumed.status(), String.valueOf(resumed.failed()));
        assertEquals(StudyWorkflowTest.digestOf(store, fresh, "vectors_sha256"), StudyWorkflowTest.digestOf(store, runId, "vectors_sha256"));
        assertEquals(StudyWorkflowTest.digestOf(store, fresh, "predictions_sha256"),
                StudyWorkflowTest.digestOf(store, runId, "predictions_sha256"));
    }

    @Test
    void llmVectorsArePatchedIntoTheVlmWithTheirCosinesRecorded() throws Exception {
        Path study = TestStudies.small(dir, "transfer", data, TestStudies.MODEL, "").toAbsolutePath();
        String text = Files.readString(study).replace("models: {target: {dir: " + TestStudies.MODEL + "}}",
                "models: {target: {dir: " + TestStudies.MODEL + "}, source: {dir: " + LLM + "}}");
        Files.writeString(study, text);
        long runId;
        try (StudyWorkflow wf = new StudyWorkflow(store, WorkflowOptions.defaults().withFresh(true))) {
            runId = wf.create(study, null, "transfer", dir);
            RunOutcome out = wf.run(runId);
            System.out.println("LLM->VLM: " + out.millis() + " ms, " + out.items());
            assertEquals(Status.DONE, out.status(), String.valueOf(out.failed()));
        }
        String source = StudyModel.storedName(null, LLM);
        String target = StudyModel.storedName(null, TestStudies.MODEL);
        assertFalse(source.equals(target));
        for (String spec : List.of("source:text-examples", "source:instruction", "source:ensemble")) {
            assertEquals(4L, scalar("SELECT count(*) FROM vectors WHERE run_id = ? AND model = ? AND spec = ? AND task = 'pair-first'"
                    + " AND seed = 1 AND kind <> 'prompt'", runId, source, spec), spec);
            assertTrue(scalar("SELECT count(*) FROM predictions WHERE run_id = ? AND model = ? AND spec = ? AND split = 'test'",
                    runId, target, spec) > 0, spec);
        }
        // the cosine per layer is that of the stored source and target vectors
        assertEquals(8L, scalar("SELECT count(*) FROM metrics WHERE run_id = ? AND name = 'transfer_cosine'", runId));
        var metric = store.metrics().get(runId, "transfer_cosine", "{\"task\": \"pair-first\", \"seed\": 1, \"spec\": \"text-examples\", \"layer\": 2}");
        assertTrue(metric.isPresent());
        Vector s = store.vectors().find(runId, source, "pair-first", "source:text-examples", 1, 2, Vector.Kind.MEAN, "").orElseThrow();
        Vector t = store.vectors().find(runId, target, "pair-first", "text-examples", 1, 2, Vector.Kind.MEAN, "").orElseThrow();
        assertEquals(VectorMath.cosine(s.elements(), t.elements()), metric.getAsDouble(), 1e-12);
        // the same cosine as the in-memory study's (capture batches differ: float rounding only)
        Study st = StudyFileReader.read(study, dir);
        try (LoadedModel vlm = LoadedModel.load(TestStudies.MODEL, RuntimeSettings.defaults());
             LoadedModel llm = LoadedModel.load(LLM, RuntimeSettings.defaults())) {
            InMemoryStudy.Result mem = InMemoryStudy.run(st, DatasetImporter.load(st.datasetRoot(), st.tasks()), vlm, llm);
            assertEquals(mem.transferCosine().get("pair-first|1|text-examples")[2], metric.getAsDouble(), 1e-5);
        }
        // reused in a second run: the source model's vectors keep its name, the cosines come along
        RunOutcome again;
        try (StudyWorkflow wf = new StudyWorkflow(store, WorkflowOptions.defaults())) {
            again = wf.run(wf.create(study, null, "transfer-again", dir));
        }
        assertEquals(Status.DONE, again.status());
        assertEquals(0, again.count(Status.DONE), "nothing recomputed");
        assertEquals(StudyWorkflowTest.digestOf(store, runId, "vectors_sha256"), StudyWorkflowTest.digestOf(store, again.runId(), "vectors_sha256"));
        assertEquals(StudyWorkflowTest.digestOf(store, runId, "predictions_sha256"),
                StudyWorkflowTest.digestOf(store, again.runId(), "predictions_sha256"));
        assertEquals(store.metrics().list(runId, "transfer_cosine"), store.metrics().list(again.runId(), "transfer_cosine"));
    }

    @Test
    void aSourceModelWithAnotherResidualSpaceIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path study = TestStudies.small(dir, "mismatched", data, TestStudies.MODEL, "").toAbsolutePath();
        Files.writeString(study, Files.readString(study).replace("models: {target: {dir: " + TestStudies.MODEL + "}}",
                "models: {target: {dir: " + TestStudies.MODEL + "}, source: {dir: " + OTHER_VLM + "}}"));
        long runsBefore = scalar("SELECT count(*) FROM runs");
        try (StudyWorkflow wf = new StudyWorkflow(store, WorkflowOptions.defaults())) {
            StudyInputException e = assertThrows(StudyInputException.class, () -> wf.create(study, null, "mismatched", dir));
            assertTrue(e.getMessage().contains("layer counts and hidden sizes must match"), e.getMessage());
            assertTrue(e.getMessage().contains("llava-siglip-qwen2"), e.getMessage());
        }
        assertEquals(runsBefore, scalar("SELECT count(*) FROM runs"), "no run recorded");
    }
}
