package taskvec.workflow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import taskvec.store.repo.WorkItem;
import taskvec.study.data.Split;
import taskvec.study.prompt.ModalityPair;
import taskvec.workflow.plan.StudyPlan;
import taskvec.workflow.stage.EvaluateWork;

/**
 * The evaluate route's steps: plan (val items: every layer), work, planTest (test items at the
 * layer val chose per vector and target modality, from the best_layer view; only once every val
 * item is done, since the choice needs all of them), work, close.
 */
public final class EvaluateSteps extends StageSteps {

    public EvaluateSteps(StudyWorkflow workflow) {
        super(workflow, "evaluate");
    }

    /**
     * Val items as the base class plans them; unfinished test items of an earlier attempt go first:
     * their keys depend on the val results, so planTest adds them again (same key if nothing changed).
     */
    @Override
    public RunRef plan(RunRef run) {
        String sql = "DELETE FROM work_items WHERE run_id = ? AND stage = 'evaluate' AND status IN ('pending', 'failed')"
                + " AND key_parts->'item'->>'split' = 'test'";
        try (Connection c = workflow.store().dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, run.runId());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("run " + run.runId() + ": dropping unfinished test items: " + e.getMessage(), e);
        }
        return super.plan(run);
    }

    public RunRef planTest(RunRef run) {
        RunContext ctx = workflow.context(run.runId());
        for (WorkItem w : workflow.store().workItems().list(run.runId(), stage)) {
            boolean val = "val".equals(w.key().parts().get("item").path("split").asText());
            if (val && !w.status().finished()) return run; // a val item failed: the test split cannot be chosen for
        }
        Map<String, Integer> chosen = chosenLayers(ctx);
        addItems(ctx, workflow.plan(run.runId()).evaluateItems(Split.TEST, chosen));
        return run;
    }

    /** "text-examples|image|add@1.0" -> the best val layer per (vector, target modality, mode and alpha; seeds then tasks averaged, lowest layer on ties). */
    private Map<String, Integer> chosenLayers(RunContext ctx) {
        Map<String, Integer> chosen = new TreeMap<>();
        String sql = "SELECT spec, modality, mode, alpha, layer FROM best_layer WHERE run_id = ? AND model = ?";
        try (Connection c = workflow.store().dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, ctx.runId());
            ps.setString(2, ctx.modelName());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    float alpha = rs.getFloat(4);
                    String mode = EvaluateWork.modeLabel(rs.getString(3), rs.wasNull() ? null : alpha);
                    chosen.put(EvaluateWork.chosenKey(rs.getString(1), rs.getString(2), mode), rs.getInt(5));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("run " + ctx.runId() + ": reading best_layer: " + e.getMessage(), e);
        }
        for (ModalityPair pair : ctx.study().modalityPairs()) {
            for (String name : StudyPlan.patchedVectors(ctx.study(), pair, ctx.source() != null, Split.VAL, 0)) {
                for (String mode : EvaluateWork.modeLabels(ctx.study())) {
                    String key = EvaluateWork.chosenKey(name, pair.target().label(), mode);
                    if (!chosen.containsKey(key)) throw new IllegalStateException("run " + ctx.runId() + ": no val accuracy for " + key);
                }
            }
        }
        return chosen;
    }
}
