package taskvec.store.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import taskvec.store.Store;

/** The SQL views over a small hand-made run whose numbers are worked out in the comments. */
class ViewsTest {

    static Store store;

    @BeforeAll
    static void open() {
        store = TestRuns.openSharedStore();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    /** Two items per cell; {@code correct} of them right. */
    private static void cell(List<Prediction> out, long run, String task, int seed, String split, String condition,
                             String spec, Integer layer, int correct) {
        for (int i = 0; i < 2; i++) {
            out.add(new Prediction(run, "m", task, seed, split, "item" + i, condition, spec, "image", layer,
                    "patch".equals(condition) ? "replace" : null, null, i < correct ? "right" : "wrong", i < correct, null));
        }
    }

    private static List<Prediction> study(long run) {
        List<Prediction> p = new ArrayList<>();
        String sp = "text-examples";
        // val patch accuracy per (task, seed): layer 0 all 0; layer 1: t1 1, .5; t2 .5, .5 -> mean .625;
        // layer 2: t1 .5, .5; t2 1, .5 -> mean .625: a tie, so the lowest (layer 1) wins
        for (String t : List.of("t1", "t2")) for (int seed : List.of(1, 2)) cell(p, run, t, seed, "val", "patch", sp, 0, 0);
        cell(p, run, "t1", 1, "val", "patch", sp, 1, 2);
        cell(p, run, "t1", 2, "val", "patch", sp, 1, 1);
        cell(p, run, "t2", 1, "val", "patch", sp, 1, 1);
        cell(p, run, "t2", 2, "val", "patch", sp, 1, 1);
        cell(p, run, "t1", 1, "val", "patch", sp, 2, 1);
        cell(p, run, "t1", 2, "val", "patch", sp, 2, 1);
        cell(p, run, "t2", 1, "val", "patch", sp, 2, 2);
        cell(p, run, "t2", 2, "val", "patch", sp, 2, 1);
        // test: no context t1 0; t2 .5 -- prompt t1 1; t2 .75 -- patch@1 t1 .75; t2 .5 -- patch@2 (not chosen) 0
        cell(p, run, "t1", 1, "test", "no_context", null, null, 0);
        cell(p, run, "t1", 2, "test", "no_context", null, null, 0);
        cell(p, run, "t2", 1, "test", "no_context", null, null, 1);
        cell(p, run, "t2", 2, "test", "no_context", null, null, 1);
        cell(p, run, "t1", 1, "test", "prompt", sp, null, 2);
        cell(p, run, "t1", 2, "test", "prompt", sp, null, 2);
        cell(p, run, "t2", 1, "test", "prompt", sp, null, 1);
        cell(p, run, "t2", 2, "test", "prompt", sp, null, 2);
        cell(p, run, "t1", 1, "test", "patch", sp, 1, 2);
        cell(p, run, "t1", 2, "test", "patch", sp, 1, 1);
        cell(p, run, "t2", 1, "test", "patch", sp, 1, 1);
        cell(p, run, "t2", 2, "test", "patch", sp, 1, 1);
        for (String t : List.of("t1", "t2")) for (int seed : List.of(1, 2)) cell(p, run, t, seed, "test", "patch", sp, 2, 0);
        return p;
    }

    private static List<Vector> vectors(long run) {
        List<Vector> v = new ArrayList<>();
        for (int layer = 0; layer < 3; layer++) {
            v.add(Vector.of(run, "m", "t1", "text-examples", 1, layer, Vector.Kind.MEAN, "", null,
                    new float[] {layer, 0.5f, -1f}, List.of()));
            v.add(Vector.of(run, "m", "t2", "text-examples", 1, layer, Vector.Kind.MEAN, "", null,
                    new float[] {0.25f, layer, 2f}, List.of()));
        }
        return v;
    }

    @Test
    void accuracyAveragesSeedsAndBestLayerTakesTheLowestOnTies() throws SQLException {
        long run = TestRuns.newRun(store, "views");
        store.predictions().insertAll(study(run));
        assertEquals(List.of(List.of("0.75", "2", "4")), rows("SELECT accuracy, n_seeds, n FROM accuracy WHERE run_id = ?"
                + " AND task = 't1' AND condition = 'patch' AND split = 'val' AND layer = 1", run));
        assertEquals(List.of(List.of("1", "0.625", "2")), rows("SELECT layer, val_accuracy, n_tasks FROM best_layer"
                + " WHERE run_id = ?", run));
        assertEquals(List.of(
                        List.of("average", "0.25", "0.875", "0.625", "1"),
                        List.of("t1", "0", "1", "0.75", "1"),
                        List.of("t2", "0.5", "0.75", "0.5", "1")),
                rows("SELECT task, no_context, prompt, patch, patch_layer FROM paper_main_table WHERE run_id = ?"
                        + " AND spec = 'text-examples' AND modality = 'image' ORDER BY task", run));
    }

    /** A zero-shot test query of item {@code item} in both modalities, with its answer and first token. */
    private static void query(List<Prompt> out, long run, String task, String split, String item, String answer, String token) {
        for (String modality : List.of("text", "image")) {
            out.add(new Prompt(0, run, task, 0, split, item, "query", modality, "Q:" + item + "\nA:", List.of(), 4, null, null, 3, ":",
                    answer, token));
        }
    }

    @Test
    void majorityBaselinePredictsTheMostFrequentFirstTokenPerTaskAndScoresItWithThePrefixRule() throws SQLException {
        long run = TestRuns.newRun(store, "majority");
        store.predictions().insertAll(study(run));
        List<Prompt> prompts = new ArrayList<>();
        // t1: "Can" is the first token of 2 of 5 answers; it also prefixes "Cancer pagurus" (first token "Canc"): 3 of 5
        query(prompts, run, "t1", "test", "wolf", "Canis lupus", "Can");
        query(prompts, run, "t1", "test", "coyote", "Canis latrans", "Can");
        query(prompts, run, "t1", "test", "crab", "Cancer pagurus", "Canc");
        query(prompts, run, "t1", "test", "cat", "Felis catus", "Fel");
        query(prompts, run, "t1", "test", "bear", "Ursus arctos", "Urs");
        // val items never count, however frequent
        for (String zebra : List.of("z1", "z2", "z3")) query(prompts, run, "t1", "val", zebra, "Equus quagga", "Equ");
        // t2: a tie between "blue" and "red" (two each) goes to the first in text order: 2 of 4
        query(prompts, run, "t2", "test", "sky", "blue", "blue");
        query(prompts, run, "t2", "test", "sea", "blue", "blue");
        query(prompts, run, "t2", "test", "rose", "red", "red");
        query(prompts, run, "t2", "test", "fire", "red", "red");
        // a prompt that is not a zero-shot query carries no answer
        prompts.add(new Prompt(0, run, "t2", 1, "test", "sky", "text-examples", "text", "Q:sea\nA:blue\n\nQ:sky\nA:", List.of("sea"),
                9, 8, ":", null, null, null, null));
        store.prompts().insertAll(prompts);
        assertEquals(List.of(List.of("t1", "Can", "5", "0.6"), List.of("t2", "blue", "4", "0.5")),
                rows("SELECT task, majority_token, n, accuracy FROM majority_baseline WHERE run_id = ? ORDER BY task", run));
        assertEquals(List.of(List.of("average", "0.55"), List.of("t1", "0.6"), List.of("t2", "0.5")),
                rows("SELECT task, majority FROM paper_main_table WHERE run_id = ?"
                        + " AND spec = 'text-examples' AND modality = 'image' ORDER BY task", run));
    }

    @Test
    void runDigestIgnoresRowOrderAndIdsButSeesAnyChangedValue() throws SQLException {
        long a = TestRuns.newRun(store, "digest a");
        long b = TestRuns.newRun(store, "digest b");
        long c = TestRuns.newRun(store, "digest c");
        long empty = TestRuns.newRun(store, "digest empty");
        store.predictions().insertAll(study(a));
        store.vectors().insertAll(vectors(a));
        List<Prediction> reversed = new ArrayList<>(study(b));
        Collections.reverse(reversed);
        store.predictions().insertAll(reversed);
        List<Vector> reversedVectors = new ArrayList<>(vectors(b));
        Collections.reverse(reversedVectors);
        store.vectors().insertAll(reversedVectors);
        List<Prediction> changed = new ArrayList<>(study(c));
        Prediction first = changed.get(0);
        changed.set(0, new Prediction(c, first.model(), first.task(), first.seed(), first.split(), first.itemId(),
                first.condition(), first.spec(), first.modality(), first.layer(), first.mode(), first.alpha(),
                first.output() + " ", first.correct(), null));
        store.predictions().insertAll(changed);
        List<Vector> changedVectors = new ArrayList<>(vectors(c));
        Vector v = changedVectors.get(0);
        changedVectors.set(0, Vector.of(c, v.model(), v.task(), v.spec(), v.seed(), v.layer(), v.kind(), v.variant(), null,
                new float[] {Math.nextUp(v.elements()[0]), v.elements()[1], v.elements()[2]}, List.of()));
        store.vectors().insertAll(changedVectors);

        List<String> da = rows("SELECT vectors_sha256, predictions_sha256 FROM run_digest WHERE run_id = ?", a).get(0);
        List<String> db = rows("SELECT vectors_sha256, predictions_sha256 FROM run_digest WHERE run_id = ?", b).get(0);
        List<String> dc = rows("SELECT vectors_sha256, predictions_sha256 FROM run_digest WHERE run_id = ?", c).get(0);
        assertEquals(da, db, "same content inserted in another order");
        assertNotEquals(da.get(0), dc.get(0), "a vector changed in its last bit");
        assertNotEquals(da.get(1), dc.get(1), "an output changed");
        // sha256 of the empty string
        String none = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assertEquals(List.of(List.of(none, none)),
                rows("SELECT vectors_sha256, predictions_sha256 FROM run_digest WHERE run_id = ?", empty));
    }

    private static List<List<String>> rows(String sql, long run) throws SQLException {
        try (Connection c = store.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, run);
            List<List<String>> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= n; i++) row.add(rs.getString(i));
                    out.add(row);
                }
            }
            return out;
        }
    }
}
