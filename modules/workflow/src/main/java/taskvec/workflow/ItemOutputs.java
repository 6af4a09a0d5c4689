package taskvec.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import taskvec.store.repo.Vector;
import taskvec.workflow.plan.StudyPlan;
import taskvec.workflow.stage.TransferCosineWork;

/**
 * The rows a work item writes, found by what the item is (stage + item parts): used to check that
 * a finished item's outputs are intact (all there, vector hashes matching) and to reuse them in
 * another run by copying them in one transaction (ids remapped through the rows' natural keys).
 */
public final class ItemOutputs {

    /** A table and the condition that picks one item's rows in it; {@code ?} params follow the run id. */
    record Selection(String table, String where, List<Object> params) {}

    private final DataSource ds;

    public ItemOutputs(DataSource ds) {
        this.ds = ds;
    }

    static Selection select(String stage, JsonNode item) {
        List<Object> p = new ArrayList<>();
        switch (stage) {
            case "prepare" -> {
                p.add(item.get("task").asText());
                return new Selection("prompts", "s.task = ?", p);
            }
            case "capture" -> {
                p.add(item.get("task").asText());
                p.add(item.get("spec").asText());
                p.add(item.get("seed").asInt());
                p.add(variants(item));
                String kind = item.get("spec").asText().startsWith("query:") ? "query" : "prompt";
                return new Selection("vectors", "s.kind = '" + kind + "' AND s.task = ? AND s.spec = ? AND s.seed = ? AND s.variant = ANY(?)", p);
            }
            case "average" -> {
                if (item.has("domain")) { // the additive mode's baseline
                    p.add(item.get("domain").asText());
                    p.add(item.get("spec").asText());
                    return new Selection("vectors", "s.kind = 'baseline' AND s.task = ? AND s.spec = ? AND s.seed = 0", p);
                }
                p.add(item.get("task").asText());
                p.add(item.get("spec").asText());
                p.add(item.get("seed").asInt());
                return new Selection("vectors", "s.kind = 'mean' AND s.task = ? AND s.spec = ? AND s.seed = ?", p);
            }
            case "ensemble" -> {
                String spec = item.path("spec").asText("ensemble");
                p.add(item.get("task").asText());
                if (spec.equals(StudyPlan.TRANSFER_COSINE)) {
                    p.add(item.get("seed").asText());
                    return new Selection("metrics", "s.name = '" + TransferCosineWork.METRIC + "' AND s.keys->>'task' = ? AND s.keys->>'seed' = ?", p);
                }
                p.add(item.get("seed").asInt());
                if (spec.equals(StudyPlan.SUBSETS)) return new Selection("vectors", "s.kind = 'subset' AND s.task = ? AND s.seed = ?", p);
                p.add(spec);
                return new Selection("vectors", "s.kind = 'ensemble' AND s.task = ? AND s.seed = ? AND s.spec = ?", p);
            }
            case "evaluate" -> {
                p.add(item.get("task").asText());
                p.add(item.get("split").asText());
                p.add(texts(item.get("items")));
                return new Selection("predictions", "s.task = ? AND s.split = ? AND s.item_id = ANY(?)", p);
            }
            case "analyze" -> {
                String analysis = item.get("analysis").asText();
                if (analysis.equals("phases")) {
                    p.add(item.get("task").asText());
                    return new Selection("phase_lens", "s.task = ?", p);
                }
                return new Selection(switch (analysis) {
                    case "similarity" -> "vector_similarity";
                    case "map" -> "embedding_map";
                    case "conflict" -> "task_conflict";
                    default -> throw new IllegalArgumentException("no analysis " + analysis);
                }, "true", p);
            }
            case "report" -> {
                return new Selection("metrics", "true", p);
            }
            default -> throw new IllegalArgumentException("no stage " + stage);
        }
    }

    /** The variant of each prompt vector a capture item writes: the query item id, or "instruction". */
    static String[] variants(JsonNode item) {
        if (item.get("spec").asText().endsWith("instruction")) return new String[] {"instruction"};
        return texts(item.get("items"));
    }

    static String[] texts(JsonNode array) {
        String[] out = new String[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asText();
        return out;
    }

    /** How many rows of the item a run holds. */
    public int count(long runId, String stage, JsonNode item) {
        Selection s = select(stage, item);
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + s.table() + " s WHERE s.run_id = ? AND " + s.where())) {
            bind(c, ps, 1, runId, s.params());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("counting the outputs of " + stage + " in run " + runId + ": " + e.getMessage(), e);
        }
    }

    /** Whether a run holds the item's outputs complete ({@code expected} rows, or any if negative) with intact vectors. */
    public boolean intact(long runId, String stage, JsonNode item, int expected) {
        int n = count(runId, stage, item);
        if (expected >= 0 ? n != expected : n == 0) return false;
        Selection s = select(stage, item);
        if (!s.table().equals("vectors")) return true;
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT s.elements, s.sha256 FROM vectors s WHERE s.run_id = ? AND " + s.where())) {
            bind(c, ps, 1, runId, s.params());
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
            throw new IllegalStateException("checking the vectors of " + stage + " in run " + runId + ": " + e.getMessage(), e);
        }
    }

    /** Copies the item's rows from one run into another (one transaction); rows already there are kept. */
    public void copy(long fromRun, long toRun, String model, String stage, JsonNode item) {
        Selection s = select(stage, item);
        List<String> sql = new ArrayList<>();
        switch (s.table()) {
            case "prompts" -> sql.add("INSERT INTO prompts (run_id, task, seed, split, item_id, spec, modality, text, demo_ids,"
                    + " token_count, read_position, read_token, write_position, write_token, answer, answer_token)"
                    + " SELECT %1$d, s.task, s.seed, s.split, s.item_id, s.spec, s.modality, s.text, s.demo_ids, s.token_count,"
                    + " s.read_position, s.read_token, s.write_position, s.write_token, s.answer, s.answer_token"
                    + " FROM prompts s WHERE s.run_id = %2$d AND "
                    + s.where() + " ON CONFLICT DO NOTHING");
            case "vectors" -> {
                sql.add("INSERT INTO vectors (run_id, model, task, spec, seed, layer, kind, variant, prompt_id, dim, elements, sha256)"
                        + " SELECT %1$d, s.model, s.task, s.spec, s.seed, s.layer, s.kind, s.variant,"
                        + " (SELECT np.id FROM prompts op JOIN prompts np ON np.run_id = %1$d AND np.task = op.task"
                        + "  AND np.seed = op.seed AND np.split = op.split AND np.item_id = op.item_id AND np.spec = op.spec"
                        + "  AND np.modality = op.modality WHERE op.id = s.prompt_id),"
                        + " s.dim, s.elements, s.sha256 FROM vectors s WHERE s.run_id = %2$d AND " + s.where()
                        + " ON CONFLICT DO NOTHING");
                sql.add("INSERT INTO vector_parents (vector_id, parent_id) SELECT nv.id, np.id FROM vectors s"
                        + " JOIN vector_parents vp ON vp.vector_id = s.id JOIN vectors op ON op.id = vp.parent_id"
                        + " JOIN vectors nv ON nv.run_id = %1$d AND nv.task = s.task AND nv.spec = s.spec AND nv.seed = s.seed"
                        + "  AND nv.layer = s.layer AND nv.kind = s.kind AND nv.variant = s.variant"
                        + " JOIN vectors np ON np.run_id = %1$d AND np.task = op.task AND np.spec = op.spec AND np.seed = op.seed"
                        + "  AND np.layer = op.layer AND np.kind = op.kind AND np.variant = op.variant"
                        + " WHERE s.run_id = %2$d AND " + s.where() + " ON CONFLICT DO NOTHING");
            }
            case "predictions" -> sql.add("INSERT INTO predictions (run_id, model, task, seed, split, item_id, condition, spec,"
                    + " modality, layer, mode, alpha, output, correct, vector_id)"
                    + " SELECT %1$d, '%3$s', s.task, s.seed, s.split, s.item_id, s.condition, s.spec, s.modality, s.layer, s.mode,"
                    + " s.alpha, s.output, s.correct,"
                    + " (SELECT nv.id FROM vectors ov JOIN vectors nv ON nv.run_id = %1$d AND nv.task = ov.task AND nv.spec = ov.spec"
                    + "  AND nv.seed = ov.seed AND nv.layer = ov.layer AND nv.kind = ov.kind AND nv.variant = ov.variant"
                    + "  WHERE ov.id = s.vector_id)"
                    + " FROM predictions s WHERE s.run_id = %2$d AND " + s.where() + " ON CONFLICT DO NOTHING");
            case "metrics" -> sql.add("INSERT INTO metrics (run_id, name, keys, value) SELECT %1$d, s.name, s.keys, s.value"
                    + " FROM metrics s WHERE s.run_id = %2$d AND " + s.where() + " ON CONFLICT DO NOTHING");
            // the analysis tables: every column but the id, the run and the model copied as they are
            case "phase_lens" -> {
                sql.add(analysisCopy("phase_lens", "task, spec, modality, layer, probe, token, probability, prompts", s.where()));
                sql.add(analysisCopy("phase_tokens", "task, spec, modality, layer, rank, token_id, token, share, mean_probability", s.where()));
            }
            // pairs may name the source model (LLM->VLM) beside the target: model names are copied as they are
            case "vector_similarity" -> sql.add("INSERT INTO vector_similarity (run_id, layer, a_model, a_task, a_spec, a_modality,"
                    + " b_model, b_task, b_spec, b_modality, cosine) SELECT %1$d, s.layer, s.a_model, s.a_task, s.a_spec, s.a_modality,"
                    + " s.b_model, s.b_task, s.b_spec, s.b_modality, s.cosine FROM vector_similarity s WHERE s.run_id = %2$d AND "
                    + s.where() + " ON CONFLICT DO NOTHING");
            case "embedding_map" -> sql.add(analysisCopy("embedding_map", "layer, method, kind, task, spec, modality, item, x, y", s.where()));
            case "task_conflict" -> sql.add(analysisCopy("task_conflict",
                    "prompted_task, patched_task, spec, modality, layer, n, patched, prompted, neither", s.where()));
            default -> throw new IllegalStateException(s.table());
        }
        String safeModel = model.replace("'", "''");
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            for (String q : sql) {
                try (PreparedStatement ps = c.prepareStatement(String.format(q, toRun, fromRun, safeModel))) {
                    bind(c, ps, 1, null, s.params());
                    ps.executeUpdate();
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("copying the outputs of " + stage + " from run " + fromRun + " to run " + toRun + ": "
                    + e.getMessage(), e);
        }
    }

    /** INSERT .. SELECT of an analysis table's rows into another run, under that run's model name. */
    private static String analysisCopy(String table, String columns, String where) {
        String selected = "s." + columns.replace(", ", ", s.");
        return "INSERT INTO " + table + " (run_id, model, " + columns + ") SELECT %1$d, '%3$s', " + selected + " FROM " + table
                + " s WHERE s.run_id = %2$d AND " + where + " ON CONFLICT DO NOTHING";
    }

    private static void bind(Connection c, PreparedStatement ps, int first, Long runId, List<Object> params) throws SQLException {
        int i = first;
        if (runId != null) ps.setLong(i++, runId);
        for (Object p : params) {
            if (p instanceof String[] a) {
                Array arr = c.createArrayOf("text", a);
                ps.setArray(i++, arr);
            } else {
                ps.setObject(i++, p);
            }
        }
    }
}
