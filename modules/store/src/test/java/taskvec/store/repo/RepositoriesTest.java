package taskvec.store.repo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import taskvec.store.Store;
import taskvec.store.key.ContentKey;

class RepositoriesTest {

    static Store store;

    @BeforeAll
    static void open() {
        store = TestRuns.openSharedStore();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void runsMoveThroughTheirStatusesAndKeepTheirProvenance() {
        long id = TestRuns.newRun(store, "provenance");
        Run run = store.runs().find(id).orElseThrow();
        assertEquals(Status.RUNNING, run.status());
        assertEquals("{\"n\": 10, \"tasks\": [\"antonym\"]}", run.studyJson());
        assertTrue(run.modelsJson().contains("\"model.safetensors\": \"00\""));
        assertEquals("cpu", run.device());
        assertEquals(null, run.finishedAt());
        store.runs().setStatus(id, Status.FAILED, "evaluate: 1 item failed");
        run = store.runs().find(id).orElseThrow();
        assertEquals(Status.FAILED, run.status());
        assertEquals("evaluate: 1 item failed", run.error());
        assertNotNull(run.finishedAt());
        assertTrue(store.runs().list().stream().anyMatch(r -> r.id() == id));
    }

    @Test
    void aStudyThatIsNotJsonIsBadInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.runs().create(
                new NewRun("bad", "{not json", "test", null, null, "cpu", "float32")));
        assertTrue(e.getMessage().startsWith("run bad: study, models or engine versions is not JSON"), e.getMessage());
    }

    @Test
    void stagesRecordKeysAttemptsAndReuse() {
        long first = TestRuns.newRun(store, "stages 1");
        ContentKey key = ContentKey.of(Map.of("stage", "average", "n", 10, "nonce", first));
        Stage s = store.stages().begin(first, "average", key);
        assertEquals(Status.RUNNING, s.status());
        assertEquals(1, s.attempts());
        store.stages().finish(s.id(), Status.FAILED, "boom");
        s = store.stages().begin(first, "average", key);
        assertEquals(2, s.attempts(), "resume counts a second attempt");
        assertEquals(null, s.error());
        store.stages().finish(s.id(), Status.DONE, null);

        long second = TestRuns.newRun(store, "stages 2");
        Stage found = store.stages().findFinished("average", key.hash()).orElseThrow();
        assertEquals(s.id(), found.id());
        assertEquals(key, found.key());
        Stage reused = store.stages().markReused(second, "average", key, found.id());
        assertEquals(Status.REUSED, reused.status());
        assertEquals(found.id(), reused.reusedFrom());
        assertEquals(List.of("average"), store.stages().list(second).stream().map(Stage::name).toList());
        assertEquals(first, store.stages().findLatestOther(second, "average").orElseThrow().runId());
    }

    @Test
    void promptsAreWrittenOnceAndKeepTheirIds() {
        long run = TestRuns.newRun(store, "prompts");
        List<Prompt> prompts = List.of(
                new Prompt(0, run, "antonym", 1, "val", "hot", "text-examples", "text", "hot -> cold\nup ->",
                        List.of("d1", "d2"), 9, 8, "->", null, null, null, null),
                new Prompt(0, run, "antonym", 1, "val", "hot", "query", "image", "<image> ->", List.of(), 4, null, null, 3, "->",
                        "cold", "co"));
        List<Prompt> stored = store.prompts().insertAll(prompts);
        List<Prompt> again = store.prompts().insertAll(prompts);
        assertEquals(stored.stream().map(Prompt::id).toList(), again.stream().map(Prompt::id).toList());
        assertEquals(2, store.prompts().count(run));
        Prompt read = store.prompts().find(stored.get(0).id()).orElseThrow();
        assertEquals(stored.get(0), read);
        assertEquals(stored.get(1), store.prompts().find(stored.get(1).id()).orElseThrow(), "the query keeps its answer and first token");
        assertEquals(List.of("d1", "d2"), read.demoIds());
        assertEquals(2, store.prompts().list(run, "antonym", 1, "val").size());
    }

    @Test
    void vectorsRoundTripBitForBitWithParentsAndAreWrittenOnce() {
        long run = TestRuns.newRun(store, "vectors");
        float[] a = {0.1f, -0.0f, Float.MIN_VALUE, Float.MAX_VALUE, 1e-38f, (float) Math.PI, -123.456f, Float.NaN};
        float[] b = {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f};
        List<Long> ids = store.vectors().insertAll(List.of(
                Vector.of(run, "m", "antonym", "text-examples", 1, 3, Vector.Kind.PROMPT, "hot", null, a, List.of()),
                Vector.of(run, "m", "antonym", "text-examples", 1, 3, Vector.Kind.PROMPT, "up", null, b, List.of())));
        float[] mean = new float[a.length];
        for (int i = 0; i < a.length; i++) mean[i] = (a[i] + b[i]) / 2;
        Vector m = Vector.of(run, "m", "antonym", "text-examples", 1, 3, Vector.Kind.MEAN, "", null, mean, ids);
        long meanId = store.vectors().insertAll(List.of(m)).get(0);
        assertEquals(List.of(meanId), store.vectors().insertAll(List.of(m)), "written twice");
        assertEquals(ids, store.vectors().insertAll(List.of(
                Vector.of(run, "m", "antonym", "text-examples", 1, 3, Vector.Kind.PROMPT, "hot", null, a, List.of()),
                Vector.of(run, "m", "antonym", "text-examples", 1, 3, Vector.Kind.PROMPT, "up", null, b, List.of()))));
        assertEquals(3, store.vectors().count(run));

        Vector read = store.vectors().find(ids.get(0)).orElseThrow();
        assertEquals(a.length, read.elements().length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(read.elements()[i]), "element " + i);
        }
        assertTrue(read.intact());
        assertEquals(Vector.sha256(a), read.sha256());
        Vector readMean = store.vectors().find(run, "m", "antonym", "text-examples", 1, 3, Vector.Kind.MEAN, "").orElseThrow();
        assertEquals(ids.stream().sorted().toList(), readMean.parents());
        assertArrayEquals(mean, readMean.elements());
        assertEquals(2, store.vectors().list(run, "m", "antonym", "text-examples", 1, Vector.Kind.PROMPT).size());
    }

    @Test
    void vectorHashIsOverLittleEndianFloat32Bytes() {
        // printf '\x00\x00\x80\x3f\x00\x00\x00\x40' | sha256sum   (1.0f, 2.0f)
        assertEquals("b9c80b5adeca450753a16950c3cc655d271f7bef7a485bc83f112b72fef21d37", Vector.sha256(new float[] {1f, 2f}));
        assertFalse(Vector.sha256(new float[] {1f, 2f}).equals(Vector.sha256(new float[] {2f, 1f})));
    }

    @Test
    void predictionsAndMetricsAreWrittenOnce() {
        long run = TestRuns.newRun(store, "predictions");
        List<Prediction> ps = List.of(
                new Prediction(run, "m", "antonym", 1, "val", "hot", "no_context", null, "text", null, null, null, "warm", false, null),
                new Prediction(run, "m", "antonym", 1, "val", "hot", "patch", "text-examples", "image", 3, "replace", null, "cold", true, null),
                new Prediction(run, "m", "antonym", 1, "val", "hot", "patch", "text-examples", "image", 4, "replace", null, "cold", true, null));
        assertEquals(3, store.predictions().insertAll(ps));
        assertEquals(0, store.predictions().insertAll(ps), "a redelivered batch counted twice");
        assertEquals(3, store.predictions().count(run));
        assertEquals(2, store.predictions().list(run, "m", "antonym", "patch", "val").size());
        assertEquals(ps.get(0), store.predictions().list(run, "m", "antonym", "no_context", "val").get(0));

        assertTrue(store.metrics().put(run, "cosine", "{\"task\":\"antonym\",\"layer\":3}", 0.5));
        assertFalse(store.metrics().put(run, "cosine", "{\"layer\":3,\"task\":\"antonym\"}", 0.9), "same keys in another order");
        assertEquals(OptionalDouble.of(0.5), store.metrics().get(run, "cosine", "{\"task\":\"antonym\",\"layer\":3}"));
        assertEquals(Map.of("{\"task\": \"antonym\", \"layer\": 3}", 0.5), store.metrics().list(run, "cosine"));
    }
}
