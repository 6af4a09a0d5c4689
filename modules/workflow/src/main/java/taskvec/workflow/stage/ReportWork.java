package taskvec.workflow.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import taskvec.store.repo.WorkItem;
import taskvec.workflow.RunContext;
import taskvec.workflow.plan.PlannedItem;

/**
 * report: the run's summary numbers, stored as metrics from the SQL views: the paper's main table
 * (test accuracy with no context, prompt and patch per task and on average) and the layer chosen
 * on val per (vector, target modality, mode, alpha); then the run's files in {@code <home>/reports/<run>/}
 * (taskvec.report). Refuses to summarize a run with failed work items.
 */
public final class ReportWork implements ItemWork {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void execute(RunContext ctx, JsonNode parts) {
        List<WorkItem> failed = ctx.store().workItems().failed(ctx.runId()).stream().filter(w -> !w.stage().equals("report")).toList();
        if (!failed.isEmpty()) {
            throw new IllegalStateException("the run has " + failed.size() + " failed work item(s) (first: "
                    + PlannedItem.describe(failed.get(0).stage(), failed.get(0).key().parts().get("item"))
                    + "); the summary needs every result");
        }
        try (Connection c = ctx.store().dataSource().getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT spec, modality, task, no_context, prompt, patch, patch_layer"
                    + " FROM paper_main_table WHERE run_id = ? ORDER BY spec, modality, task")) {
                ps.setLong(1, ctx.runId());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String[] columns = {"no_context", "prompt", "patch", "patch_layer"};
                        for (int i = 0; i < columns.length; i++) {
                            double v = rs.getDouble(4 + i);
                            if (rs.wasNull()) continue;
                            ObjectNode keys = JSON.createObjectNode().put("spec", rs.getString(1)).put("modality", rs.getString(2))
                                    .put("task", rs.getString(3)).put("column", columns[i]);
                            ctx.store().metrics().put(ctx.runId(), "main_table", keys.toString(), v);
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT spec, modality, layer, val_accuracy, mode, alpha FROM best_layer"
                    + " WHERE run_id = ? ORDER BY spec, modality, mode, alpha")) {
                ps.setLong(1, ctx.runId());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ObjectNode k = JSON.createObjectNode().put("spec", rs.getString(1)).put("modality", rs.getString(2))
                                .put("mode", rs.getString(5));
                        float alpha = rs.getFloat(6);
                        if (!rs.wasNull()) k.put("alpha", alpha);
                        String keys = k.toString();
                        ctx.store().metrics().put(ctx.runId(), "best_layer", keys, rs.getInt(3));
                        ctx.store().metrics().put(ctx.runId(), "best_layer_val_accuracy", keys, rs.getDouble(4));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("run " + ctx.runId() + ": reading the summary views: " + e.getMessage(), e);
        }
        // the files: <home>/reports/<run>/ (taskvec report RUN writes them again at any time)
        taskvec.report.ReportWriter.write(ctx.store().dataSource(), ctx.runId(), ctx.store().settings().reportsRoot());
    }

    @Override
    public int expectedOutputs(RunContext ctx, JsonNode parts) {
        return -1;
    }
}
