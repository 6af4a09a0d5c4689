package taskvec.report;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import taskvec.store.DbSettings;
import taskvec.store.Store;
import taskvec.store.key.ContentKey;
import taskvec.store.repo.NewRun;

/**
 * Runs written into the shared test store row by row, as the workflow's stages would leave them:
 * a finished LLaVA-1.5 run with every analysis, and a resumed run whose evaluate stage failed
 * after capture was reused from the first.
 */
final class ReportFixtureRuns {
    private ReportFixtureRuns() {}

    static final String MODEL = "llava-hf/llava-1.5-7b-hf";
    static final String SOURCE = "lmsys/vicuna-7b-v1.5";
    static final List<String> TASKS = List.of("country-capital", "country-currency");
    static final int LAYERS = 6;

    static Store openSharedStore() {
        return Store.open(DbSettings.embedded(DbSettings.home(System.getenv())));
    }

    static long newRun(Store store, String name) {
        return store.runs().create(new NewRun(name,
                "{\"file\":\"workflows/studies/llava-1.5.yaml\",\"study\":{\"tasks\":[\"country-capital\",\"country-currency\"],\"seeds\":[1,2],\"shots\":5}}",
                "report-test-0001", "[{\"name\":\"" + MODEL + "\",\"role\":\"target\",\"revision\":\"a272c74b\",\"files\":{\"model.safetensors\":\""
                        + "ab".repeat(32) + "\",\"tokenizer.json\":\"" + "cd".repeat(32) + "\"}},{\"name\":\"" + SOURCE
                        + "\",\"role\":\"source\",\"files\":{\"model.safetensors\":\"" + "ef".repeat(32) + "\"}}]",
                "{\"djl\":\"0.36.0\",\"pytorch\":\"2.7.1\"}", "cpu", "float32"));
    }

    /** A finished run with predictions, phases, similarities, a map, conflicts and curves. */
    static long completeRun(Store store) throws SQLException {
        long run = newRun(store, "report complete");
        try (Connection c = store.connect()) {
            for (String stage : List.of("prepare", "capture", "average", "ensemble", "evaluate", "analyze", "report")) {
                stage(c, run, stage, "done", null, null);
            }
            predictions(c, run);
            answers(c, run);
            phases(c, run);
            similarity(c, run);
            map(c, run);
            conflict(c, run);
            metrics(c, run);
            exec(c, "UPDATE runs SET status = 'done', finished_at = started_at + interval '95 seconds' WHERE id = " + run);
        }
        return run;
    }

    /** A run resumed after a failure: capture reused from {@code from}, evaluate failed on one item. */
    static long failedRun(Store store, long from) throws SQLException {
        long run = newRun(store, "report failed");
        try (Connection c = store.connect()) {
            stage(c, run, "prepare", "done", null, null);
            long source;
            try (var ps = c.prepareStatement("SELECT id FROM stages WHERE run_id = ? AND name = 'capture'")) {
                ps.setLong(1, from);
                try (var rs = ps.executeQuery()) { rs.next(); source = rs.getLong(1); }
            }
            stage(c, run, "capture", "reused", source, null);
            stage(c, run, "average", "done", null, null);
            stage(c, run, "evaluate", "failed", null, "1 work item failed");
            exec(c, "UPDATE stages SET attempts = 2 WHERE name = 'evaluate' AND run_id = " + run); // failed, resumed, failed again
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO work_items (run_id, stage, item_key, key_parts, status, attempts, error,"
                    + " finished_at) VALUES (?, 'evaluate', ?, ?::jsonb, 'failed', 3, ?, now())")) {
                ContentKey k = ContentKey.of(java.util.Map.of("stage", "evaluate", "item", "country-capital/test/0"));
                ps.setLong(1, run);
                ps.setString(2, k.hash());
                ps.setString(3, "{\"task\":\"country-capital\",\"split\":\"test\",\"shard\":0}");
                ps.setString(4, "out of memory while patching layer 15");
                ps.executeUpdate();
            }
            exec(c, "UPDATE runs SET status = 'failed', error = 'stage evaluate: 1 work item failed', finished_at = now() WHERE id = " + run);
        }
        return run;
    }

    private static void stage(Connection c, long run, String name, String status, Long reusedFrom, String error) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO stages (run_id, name, key, key_parts, status, attempts, started_at,"
                + " finished_at, error, reused_from) VALUES (?, ?, ?, '{}'::jsonb, ?, 1, now() - interval '60 seconds', now(), ?, ?)")) {
            ps.setLong(1, run);
            ps.setString(2, name);
            ps.setString(3, ContentKey.of(java.util.Map.of("stage", name, "run", run)).hash());
            ps.setString(4, status);
            ps.setString(5, error);
            if (reusedFrom == null) ps.setNull(6, java.sql.Types.BIGINT);
            else ps.setLong(6, reusedFrom);
            ps.executeUpdate();
        }
    }

    private static void predictions(Connection c, long run) throws SQLException {
        String sql = "INSERT INTO predictions (run_id, model, task, seed, split, item_id, condition, spec, modality, layer, mode, output, correct)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (String task : TASKS) {
                for (int seed = 1; seed <= 2; seed++) {
                    for (int item = 0; item < 4; item++) {
                        for (String spec : List.of("text-examples", "image-examples")) {
                            // val: patched at every layer, best around layer 3
                            for (int layer = 0; layer < LAYERS; layer++) {
                                boolean ok = (item + seed + layer) % 5 < (layer == 3 ? 4 : layer % 3 + 1);
                                add(ps, run, task, seed, "val", item, "patch", spec, "image", layer, "replace", ok);
                            }
                            add(ps, run, task, seed, "test", item, "prompt", spec, "image", null, null, (item + seed) % 3 == 0);
                            add(ps, run, task, seed, "test", item, "patch", spec, "image", 3, "replace", (item + seed) % 2 == 0);
                        }
                        add(ps, run, task, seed, "test", item, "no_context", null, "image", null, null, item == 3 && seed == 2);
                        // the other vectors at layer 3: instruction, the LLM's, and the sample-efficiency subsets
                        add(ps, run, task, seed, "test", item, "patch", "instruction", "image", 3, "replace", item == 0);
                        add(ps, run, task, seed, "test", item, "patch", "source:text-examples", "image", 3, "replace", item < 3);
                        for (int r = 1; r <= 3; r++) {
                            add(ps, run, task, seed, "test", item, "patch", "subset-r" + r + ":text-examples", "image", 3, "replace", item < r);
                            add(ps, run, task, seed, "test", item, "patch", "subset-r" + r + ":ensemble", "image", 3, "replace", item <= r);
                        }
                    }
                }
            }
            ps.executeBatch();
        }
    }

    private static void add(PreparedStatement ps, long run, String task, int seed, String split, int item, String condition, String spec,
                            String modality, Integer layer, String mode, boolean ok) throws SQLException {
        ps.setLong(1, run);
        ps.setString(2, MODEL);
        ps.setString(3, task);
        ps.setInt(4, seed);
        ps.setString(5, split);
        ps.setString(6, task + "-" + item);
        ps.setString(7, condition);
        ps.setString(8, spec);
        ps.setString(9, modality);
        if (layer == null) ps.setNull(10, java.sql.Types.INTEGER);
        else ps.setInt(10, layer);
        ps.setString(11, mode);
        ps.setString(12, ok ? "Athens" : "the");
        ps.setBoolean(13, ok);
        ps.addBatch();
    }

    private static void phases(Connection c, long run) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO phase_lens (run_id, model, task, spec, modality, layer, probe, token,"
                + " probability, prompts) VALUES (?, ?, ?, ?, 'text', ?, ?, ?, ?, 30)");
             PreparedStatement t = c.prepareStatement("INSERT INTO phase_tokens (run_id, model, task, spec, modality, layer, rank, token_id,"
                     + " token, share, mean_probability) VALUES (?, ?, ?, ?, 'text', ?, ?, ?, ?, ?, ?)")) {
            for (String task : TASKS) {
                String word = task.endsWith("capital") ? "capital" : "currency";
                for (String spec : List.of("text-examples", "instruction")) {
                    for (int l = 0; l < LAYERS; l++) {
                        double input = Math.max(0, 0.6 - 0.2 * l), taskP = 0.5 * Math.exp(-Math.pow(l - 2.5, 2)), answer = l / 6.0;
                        String[][] probes = {{"input", "auf"}, {"task", word}, {"answer", null}};
                        double[] ps = {input, taskP, answer};
                        for (int k = 0; k < 3; k++) {
                            p.setLong(1, run); p.setString(2, MODEL); p.setString(3, task); p.setString(4, spec); p.setInt(5, l);
                            p.setString(6, probes[k][0]); p.setString(7, probes[k][1]); p.setDouble(8, ps[k]);
                            p.addBatch();
                        }
                        String[] top = l < 2 ? new String[] {"auf", ":", "A"} : l < 4 ? new String[] {word, "city", "the"}
                                : new String[] {"Athens", "Euro", word};
                        for (int rank = 1; rank <= top.length; rank++) {
                            t.setLong(1, run); t.setString(2, MODEL); t.setString(3, task); t.setString(4, spec); t.setInt(5, l);
                            t.setInt(6, rank); t.setInt(7, 100 + rank); t.setString(8, top[rank - 1]);
                            t.setDouble(9, 1.0 / rank); t.setDouble(10, 0.3 / rank);
                            t.addBatch();
                        }
                    }
                }
            }
            p.executeBatch();
            t.executeBatch();
        }
    }

    private static void similarity(Connection c, long run) throws SQLException {
        String[][] labels = {{"country-capital", "text-examples", "text"}, {"country-capital", "image-examples", "image"},
                {"country-currency", "text-examples", "text"}, {"country-currency", "image-examples", "image"}};
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO vector_similarity (run_id, layer, a_model, a_task, a_spec, a_modality,"
                + " b_model, b_task, b_spec, b_modality, cosine) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int l = 0; l < LAYERS; l++) {
                for (String[] a : labels) {
                    for (String[] b : labels) {
                        double cos = a == b ? 1.0 : a[0].equals(b[0]) ? 0.5 + 0.08 * l : 0.6 - 0.05 * l;
                        ps.setLong(1, run); ps.setInt(2, l);
                        ps.setString(3, MODEL); ps.setString(4, a[0]); ps.setString(5, a[1]); ps.setString(6, a[2]);
                        ps.setString(7, MODEL); ps.setString(8, b[0]); ps.setString(9, b[1]); ps.setString(10, b[2]);
                        ps.setDouble(11, cos);
                        ps.addBatch();
                    }
                }
            }
            ps.executeBatch();
        }
    }

    private static void map(Connection c, long run) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO embedding_map (run_id, layer, kind, model, task, spec, modality, item, x, y)"
                + " VALUES (?, 3, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int i = 0;
            for (String kind : List.of("task_vector", "context")) {
                for (String task : TASKS) {
                    for (String modality : List.of("text", "image")) {
                        for (int item = 0; item < 3; item++) {
                            boolean byTask = kind.equals("task_vector");
                            double x = byTask ? (task.endsWith("capital") ? -2 : 2) : (modality.equals("text") ? -2 : 2);
                            ps.setLong(1, run); ps.setString(2, kind); ps.setString(3, MODEL); ps.setString(4, task);
                            ps.setString(5, modality.equals("text") ? "text-examples" : "image-examples"); ps.setString(6, modality);
                            ps.setString(7, task + "-" + item); ps.setDouble(8, x + 0.1 * item); ps.setDouble(9, 0.3 * (i++ % 5) - 0.6);
                            ps.addBatch();
                        }
                    }
                }
            }
            ps.executeBatch();
        }
    }

    private static void conflict(Connection c, long run) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO task_conflict (run_id, model, prompted_task, patched_task, spec, modality,"
                + " layer, n, patched, prompted, neither) VALUES (?, ?, ?, ?, ?, 'image', 3, 8, ?, ?, ?)")) {
            ps.setLong(1, run); ps.setString(2, MODEL); ps.setString(3, "country-capital"); ps.setString(4, "country-currency");
            ps.setString(5, "instruction"); ps.setDouble(6, 0.625); ps.setDouble(7, 0.25); ps.setDouble(8, 0.125);
            ps.addBatch();
            ps.setLong(1, run); ps.setString(2, MODEL); ps.setString(3, "country-currency"); ps.setString(4, "country-capital");
            ps.setString(5, "text-examples"); ps.setDouble(6, 0.5); ps.setDouble(7, 0.375); ps.setDouble(8, 0.125);
            ps.addBatch();
            ps.executeBatch();
        }
    }

    /** The workflow's transfer cosines: keys task, seed, spec, layer. */
    private static void metrics(Connection c, long run) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO metrics (run_id, name, keys, value) VALUES (?, ?, ?::jsonb, ?)")) {
            for (String task : TASKS) {
                for (int seed = 1; seed <= 2; seed++) {
                    for (int l = 0; l < LAYERS; l++) {
                        ps.setLong(1, run); ps.setString(2, "transfer_cosine");
                        ps.setString(3, "{\"task\":\"" + task + "\",\"seed\":" + seed + ",\"spec\":\"text-examples\",\"layer\":" + l + "}");
                        ps.setDouble(4, 0.99 - 0.01 * l - 0.002 * seed);
                        ps.addBatch();
                    }
                }
            }
            ps.executeBatch();
        }
    }

    /** The test items' zero-shot queries with their answers: majority "Ath" 2 of 4 (capital), "Euro" 3 of 4 (currency). */
    private static void answers(Connection c, long run) throws SQLException {
        String[][] tokens = {{"Ath", "Ath", "Rom", "Par"}, {"Euro", "Euro", "Euro", "Dollar"}};
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO prompts (run_id, task, seed, split, item_id, spec, modality, text,"
                + " token_count, write_position, write_token, answer, answer_token) VALUES (?, ?, 0, 'test', ?, 'query', 'image',"
                + " 'Q:<image>\nA:', 582, 581, ':', ?, ?)")) {
            for (int t = 0; t < TASKS.size(); t++) {
                for (int item = 0; item < 4; item++) {
                    ps.setLong(1, run);
                    ps.setString(2, TASKS.get(t));
                    ps.setString(3, TASKS.get(t) + "-" + item);
                    ps.setString(4, tokens[t][item] + "ens");
                    ps.setString(5, tokens[t][item]);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (var st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
