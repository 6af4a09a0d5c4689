package taskvec.store.repo;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A finished item's outputs, for reuse: whether a run holds them complete and intact (vector
 * hashes matching), and copying them into another run in one transaction, ids remapped through
 * the rows' natural keys. Every value is a statement parameter.
 */
public final class ItemOutputRepository {
    private static final Pattern PARAM = Pattern.compile(":(to|from|model|where)");

    private final DataSource ds;

    public ItemOutputRepository(DataSource ds) {
        this.ds = ds;
    }

    /** How many of the item's rows a run holds. */
    public int count(long runId, ItemRows rows) {
        String sql = "SELECT count(*) FROM " + table(rows.table()) + " s WHERE s.run_id = :from AND :where";
        try (Connection c = ds.getConnection(); PreparedStatement ps = prepare(c, sql, rows, runId, runId, null)) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw Sql.fail("counting the outputs of an item in run " + runId, e);
        }
    }

    /** Whether a run holds the item's outputs complete ({@code expected} rows, or any if negative) with intact vectors. */
    public boolean intact(long runId, ItemRows rows, int expected) {
        int n = count(runId, rows);
        if (expected >= 0 ? n != expected : n == 0) return false;
        if (rows.table() != ItemRows.Table.VECTORS) return true;
        try (Connection c = ds.getConnection();
             PreparedStatement ps = prepare(c, "SELECT s.elements, s.sha256 FROM vectors s WHERE s.run_id = :from AND :where", rows, runId,
                     runId, null)) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Float[] boxed = (Float[]) rs.getArray(1).getArray();
                    float[] v = new float[boxed.length];
                    for (int i = 0; i < v.length; i++) v[i] = boxed[i];
                    if (!Vector.sha256(v).equals(rs.getString(2))) return false;
                }
            }
            return true;
        } catch (SQLException e) {
            throw Sql.fail("checking the vectors of an item in run " + runId, e);
        }
    }

    /** Copies the item's rows from one run into another under {@code model} where rows name the run's model; rows already there are kept. */
    public void copy(long fromRun, long toRun, String model, ItemRows rows) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            for (String sql : copyStatements(rows.table())) {
                try (PreparedStatement ps = prepare(c, sql, rows, fromRun, toRun, model)) {
                    ps.executeUpdate();
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw Sql.fail("copying the outputs of an item from run " + fromRun + " to run " + toRun, e);
        }
    }

    private static String table(ItemRows.Table t) {
        return t == ItemRows.Table.PHASES ? "phase_lens" : t.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static List<String> copyStatements(ItemRows.Table t) {
        return switch (t) {
            case PROMPTS -> List.of("INSERT INTO prompts (run_id, task, seed, split, item_id, spec, modality, text, demo_ids,"
                    + " token_count, read_position, read_token, write_position, write_token, answer, answer_token)"
                    + " SELECT :to, s.task, s.seed, s.split, s.item_id, s.spec, s.modality, s.text, s.demo_ids, s.token_count,"
                    + " s.read_position, s.read_token, s.write_position, s.write_token, s.answer, s.answer_token"
                    + " FROM prompts s WHERE s.run_id = :from AND :where"
                    + " ON CONFLICT DO NOTHING");
            // vectors keep their model (the source model's are stored under its name); prompt and parent ids are remapped
            case VECTORS -> List.of("INSERT INTO vectors (run_id, model, task, spec, seed, layer, kind, variant, prompt_id, dim, elements, sha256)"
                    + " SELECT :to, s.model, s.task, s.spec, s.seed, s.layer, s.kind, s.variant,"
                    + " (SELECT np.id FROM prompts op JOIN prompts np ON np.run_id = :to AND np.task = op.task"
                    + "  AND np.seed = op.seed AND np.split = op.split AND np.item_id = op.item_id AND np.spec = op.spec"
                    + "  AND np.modality = op.modality WHERE op.id = s.prompt_id),"
                    + " s.dim, s.elements, s.sha256 FROM vectors s WHERE s.run_id = :from AND :where ON CONFLICT DO NOTHING",
                    "INSERT INTO vector_parents (vector_id, parent_id) SELECT nv.id, np.id FROM vectors s"
                    + " JOIN vector_parents vp ON vp.vector_id = s.id JOIN vectors op ON op.id = vp.parent_id"
                    + " JOIN vectors nv ON nv.run_id = :to AND nv.task = s.task AND nv.spec = s.spec AND nv.seed = s.seed"
                    + "  AND nv.layer = s.layer AND nv.kind = s.kind AND nv.variant = s.variant"
                    + " JOIN vectors np ON np.run_id = :to AND np.task = op.task AND np.spec = op.spec AND np.seed = op.seed"
                    + "  AND np.layer = op.layer AND np.kind = op.kind AND np.variant = op.variant"
                    + " WHERE s.run_id = :from AND :where ON CONFLICT DO NOTHING");
            case PREDICTIONS -> List.of("INSERT INTO predictions (run_id, model, task, seed, split, item_id, condition, spec,"
                    + " modality, layer, mode, alpha, output, correct, vector_id)"
                    + " SELECT :to, :model, s.task, s.seed, s.split, s.item_id, s.condition, s.spec, s.modality, s.layer, s.mode,"
                    + " s.alpha, s.output, s.correct,"
                    + " (SELECT nv.id FROM vectors ov JOIN vectors nv ON nv.run_id = :to AND nv.task = ov.task AND nv.spec = ov.spec"
                    + "  AND nv.seed = ov.seed AND nv.layer = ov.layer AND nv.kind = ov.kind AND nv.variant = ov.variant"
                    + "  WHERE ov.id = s.vector_id)"
                    + " FROM predictions s WHERE s.run_id = :from AND :where ON CONFLICT DO NOTHING");
            case METRICS -> List.of("INSERT INTO metrics (run_id, name, keys, value) SELECT :to, s.name, s.keys, s.value"
                    + " FROM metrics s WHERE s.run_id = :from AND :where ON CONFLICT DO NOTHING");
            case PHASES -> List.of(analysisCopy("phase_lens", "task, spec, modality, layer, probe, token, probability, prompts"),
                    analysisCopy("phase_tokens", "task, spec, modality, layer, rank, token_id, token, share, mean_probability"));
            // pairs may name the source model (LLM->VLM) beside the target: model names are copied as they are
            case VECTOR_SIMILARITY -> List.of("INSERT INTO vector_similarity (run_id, layer, a_model, a_task, a_spec, a_modality,"
                    + " b_model, b_task, b_spec, b_modality, cosine) SELECT :to, s.layer, s.a_model, s.a_task, s.a_spec, s.a_modality,"
                    + " s.b_model, s.b_task, s.b_spec, s.b_modality, s.cosine FROM vector_similarity s WHERE s.run_id = :from AND :where"
                    + " ON CONFLICT DO NOTHING");
            case EMBEDDING_MAP -> List.of(analysisCopy("embedding_map", "layer, method, kind, task, spec, modality, item, x, y"));
            case TASK_CONFLICT -> List.of(analysisCopy("task_conflict",
                    "prompted_task, patched_task, spec, modality, layer, n, patched, prompted, neither"));
        };
    }

    /** INSERT .. SELECT of an analysis table's rows into another run, under that run's model name. */
    private static String analysisCopy(String table, String columns) {
        String selected = "s." + columns.replace(", ", ", s.");
        return "INSERT INTO " + table + " (run_id, model, " + columns + ") SELECT :to, :model, " + selected + " FROM " + table
                + " s WHERE s.run_id = :from AND :where ON CONFLICT DO NOTHING";
    }

    /** Turns :to, :from, :model and :where (the item's conditions) into parameters, bound in order. */
    private static PreparedStatement prepare(Connection c, String sql, ItemRows rows, long from, long to, String model) throws SQLException {
        List<Object> params = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        Matcher m = PARAM.matcher(sql);
        while (m.find()) {
            switch (m.group(1)) {
                case "to" -> { m.appendReplacement(out, "?"); params.add(to); }
                case "from" -> { m.appendReplacement(out, "?"); params.add(from); }
                case "model" -> { m.appendReplacement(out, "?"); params.add(model); }
                default -> {
                    StringBuilder where = new StringBuilder("true");
                    for (Map.Entry<String, Object> e : rows.match().entrySet()) {
                        String column = e.getKey().startsWith("keys.") ? "s.keys->>'" + e.getKey().substring(5) + "'" : "s." + e.getKey();
                        where.append(" AND ").append(column).append(e.getValue() instanceof String[] ? " = ANY(?)" : " = ?");
                        params.add(e.getValue());
                    }
                    m.appendReplacement(out, Matcher.quoteReplacement(where.toString()));
                }
            }
        }
        m.appendTail(out);
        PreparedStatement ps = c.prepareStatement(out.toString());
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p instanceof String[] a) {
                Array arr = c.createArrayOf("text", a);
                ps.setArray(i + 1, arr);
            } else {
                ps.setObject(i + 1, p);
            }
        }
        return ps;
    }
}
