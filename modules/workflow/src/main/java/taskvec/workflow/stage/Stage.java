package taskvec.workflow.stage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import taskvec.store.repo.ItemRows;
import taskvec.workflow.context.RunContext;
import taskvec.workflow.plan.PlannedItem;
import taskvec.workflow.plan.PlannedStages;

/**
 * One stage of the study: how it splits into keyed work items, what one item does, and which rows
 * it writes (so a finished item can be reused by another run). One class per stage, registered in
 * {@link Stages}; the routes, the plan, status and explain all take the stages from there.
 */
public interface Stage {
    String name();

    /** What of the study the stage as a whole depends on (its key's settings). */
    Map<String, Object> settings(RunContext ctx);

    /** Inputs of the stage's key besides its items' keys (files it reads); none by default. */
    default Map<String, Object> stageInputs(RunContext ctx, List<PlannedItem> items) {
        return null;
    }

    /** The stage's items with their keys; {@code earlier} holds the items of the stages before it. */
    List<PlannedItem> plan(RunContext ctx, PlannedStages earlier);

    /** Whether the stage plans more items from its own first results once they are all done (evaluate: test after val). */
    default boolean followsUp() {
        return false;
    }

    /** Those items; {@code plan} holds every stage's first items. */
    default List<PlannedItem> followUp(RunContext ctx, PlannedStages plan) {
        return List.of();
    }

    /** Does the item (its key parts; {@code parts.item} says what) and writes its outputs in one transaction, idempotently. */
    void execute(RunContext ctx, JsonNode parts);

    /** How many rows the item writes (negative: "some"), to tell complete outputs from partial ones. */
    int expectedOutputs(RunContext ctx, JsonNode parts);

    /** The rows the item writes (the store checks and copies them for reuse). */
    ItemRows outputs(JsonNode item);
}
