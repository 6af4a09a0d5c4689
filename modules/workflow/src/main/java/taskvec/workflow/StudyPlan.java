package taskvec.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import taskvec.store.key.ContentKey;
import taskvec.workflow.context.RunContext;
import taskvec.workflow.plan.ItemKeys;
import taskvec.workflow.plan.PlannedItem;
import taskvec.workflow.plan.PlannedStages;
import taskvec.workflow.stage.Stage;
import taskvec.workflow.stage.Stages;

/**
 * The work items of every stage and their keys, computed from the study, the dataset files, the
 * model files and the code version before anything runs: each stage plans its own items in the
 * order of {@link Stages#ALL}, naming the keys of the earlier items whose outputs they read, so a
 * change reaches exactly the work downstream of it.
 */
public final class StudyPlan {
    private final RunContext ctx;
    private final PlannedStages planned = new PlannedStages();

    public StudyPlan(RunContext ctx) {
        this.ctx = ctx;
        for (Stage stage : Stages.ALL) planned.put(stage.name(), stage.plan(ctx, planned));
    }

    /** Every stage's first items, for planning from them. */
    public PlannedStages planned() {
        return planned;
    }

    /** A stage's first items (evaluate: val). */
    public List<PlannedItem> items(String stage) {
        return planned.items(stage);
    }

    /** The items a stage plans from its first results (evaluate: test at the layers val chose). */
    public List<PlannedItem> followUp(String stage) {
        return Stages.named(stage).followUp(ctx, planned);
    }

    /**
     * A stage's key: its settings, the model, the code version, the key of the stage before it and
     * a hash over its first items' keys (evaluate's test items follow from its val results).
     */
    public ContentKey stageKey(String name) {
        Stage stage = Stages.named(name);
        Map<String, Object> parts = ItemKeys.common(ctx, name);
        parts.put("settings", stage.settings(ctx));
        int i = Stages.names().indexOf(name);
        if (i > 0) parts.put("upstream", Map.of(Stages.names().get(i - 1), stageKey(Stages.names().get(i - 1)).hash()));
        List<String> hashes = new ArrayList<>();
        for (PlannedItem item : items(name)) hashes.add(item.key().hash());
        parts.put("items", Map.of("count", hashes.size(), "keys", ContentKey.of(Map.of("keys", hashes)).hash()));
        Map<String, Object> inputs = stage.stageInputs(ctx, items(name));
        if (inputs != null) parts.put("inputs", inputs);
        return ContentKey.of(parts);
    }

}
