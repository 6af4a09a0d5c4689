package taskvec.workflow.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import taskvec.report.ReportWriter;
import taskvec.store.repo.ItemRows;
import taskvec.store.repo.ResultViews;
import taskvec.workflow.context.RunContext;
import taskvec.workflow.plan.ItemKeys;
import taskvec.workflow.plan.PlannedItem;
import taskvec.workflow.plan.PlannedStages;
import taskvec.workflow.plan.StageItem;

/**
 * report: the run's summary numbers as {@code metrics}, read from the views: the paper's main
 * table (test accuracy with no context, prompt and patch per task and on average) and the layer
 * chosen on val per (vector, query modality, mode, alpha); then the run's files in {@code <home>/reports/RUN/}
 * (taskvec.report). Refuses to summarize a run with failed work items.
 */
public final class ReportStage implements Stage {
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Item() implements StageItem {
        @Override
        public Map<String, Object> keyPart() {
            return Map.of("report", "summary");
        }
    }

    @Override
    public String name() {
        return "report";
    }

    @Override
    public Map<String, Object> settings(RunContext ctx) {
        return Map.of();
    }

    @Override
    public List<PlannedItem> plan(RunContext ctx, PlannedStages earlier) {
        return List.of(ItemKeys.item(ctx, name(), new Item(), Map.of(), Map.of("evaluate_val", ItemKeys.hashOf(earlier.items("evaluate")))));
    }

    @Override
    public void execute(RunContext ctx, JsonNode parts) {
        FailedWork.refuse(ctx, Set.of("report"), "the summary needs");
        long run = ctx.runId();
        for (ResultViews.MainTableRow row : ctx.store().views().mainTable(run)) {
            String[] columns = {"no_context", "prompt", "patch", "patch_layer"};
            Double[] values = {row.noContext(), row.prompt(), row.patch(), row.patchLayer()};
            for (int i = 0; i < columns.length; i++) {
                if (values[i] == null) continue;
                ObjectNode keys = JSON.createObjectNode().put("spec", row.spec()).put("modality", row.modality()).put("task", row.task())
                        .put("column", columns[i]);
                ctx.store().metrics().put(run, "main_table", keys.toString(), values[i]);
            }
        }
        for (ResultViews.BestLayer b : ctx.store().views().bestLayers(run)) {
            ObjectNode k = JSON.createObjectNode().put("spec", b.spec()).put("modality", b.modality()).put("mode", b.mode());
            if (b.alpha() != null) k.put("alpha", b.alpha());
            ctx.store().metrics().put(run, "best_layer", k.toString(), b.layer());
            ctx.store().metrics().put(run, "best_layer_val_accuracy", k.toString(), b.valAccuracy());
        }
        // the files: <home>/reports/RUN/ (taskvec report RUN writes them again at any time)
        ReportWriter.write(ctx.store(), run, ctx.store().settings().reportsRoot());
    }

    @Override
    public int expectedOutputs(RunContext ctx, JsonNode parts) {
        return -1;
    }

    @Override
    public ItemRows outputs(JsonNode item) {
        return ItemRows.all(ItemRows.Table.METRICS);
    }
}
