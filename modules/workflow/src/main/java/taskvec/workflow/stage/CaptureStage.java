package taskvec.workflow.stage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import taskvec.store.repo.ItemRows;
import taskvec.store.repo.Prompt;
import taskvec.store.repo.Vector;
import taskvec.study.data.Split;
import taskvec.study.data.TaskItem;
import taskvec.study.design.StudyVectors;
import taskvec.study.prompt.Modality;
import taskvec.study.prompt.PlannedPrompt;
import taskvec.study.prompt.Specification;
import taskvec.study.vectors.LayerVectors;
import taskvec.study.vectors.VectorCapture;
import taskvec.study.vectors.VectorName;
import taskvec.workflow.context.RunContext;
import taskvec.workflow.context.StudyModel;
import taskvec.workflow.plan.ItemKeys;
import taskvec.workflow.plan.PlannedItem;
import taskvec.workflow.plan.PlannedStages;
import taskvec.workflow.plan.StageItem;

/**
 * capture: the residual stream after every layer at the read position of each source prompt of a
 * shard (task, seed, vector, val items), or of the task's instruction: one 'prompt' vector per
 * (prompt, layer), linked to the prompt row prepare wrote. A source-model vector runs the same
 * prompts on the source model (LLM->VLM; no prompt row: its tokenization differs). A query vector
 * captures the task's zero-shot val queries at their write position ('query' vectors, the
 * additive mode's baseline inputs).
 */
public final class CaptureStage implements Stage {
    /** Val items per capture item. */
    public static final int SHARD = 4;

    /** @param items the val items whose prompts are captured (none for an instruction) */
    public record Item(String task, int seed, VectorName vector, List<String> items) implements StageItem {
        @Override
        public Map<String, Object> keyPart() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("task", task);
            m.put("seed", seed);
            m.put("spec", vector.toString());
            if (!items.isEmpty()) m.put("items", items);
            return m;
        }

        static Item of(JsonNode n) {
            List<String> items = new ArrayList<>();
            n.path("items").forEach(i -> items.add(i.asText()));
            return new Item(n.get("task").asText(), n.get("seed").asInt(), VectorName.parse(n.get("spec").asText()), items);
        }

        boolean instruction() {
            return vector.recipe() == VectorName.Recipe.INSTRUCTION;
        }
    }

    @Override
    public String name() {
        return "capture";
    }

    @Override
    public Map<String, Object> settings(RunContext ctx) {
        Map<String, Object> s = ItemKeys.promptSettings(ctx);
        s.put("pre_resize_width", ctx.study().preResizeWidth());
        return s;
    }

    @Override
    public Map<String, Object> stageInputs(RunContext ctx, List<PlannedItem> items) {
        Map<String, String> images = new TreeMap<>();
        for (PlannedItem item : items) {
            item.key().parts().path("inputs").path("images").fields().forEachRemaining(e -> images.put(e.getKey(), e.getValue().asText()));
        }
        return Map.of("images", images);
    }

    @Override
    public List<PlannedItem> plan(RunContext ctx, PlannedStages earlier) {
        List<PlannedItem> out = new ArrayList<>();
        for (String task : ctx.study().tasks()) {
            String prepare = earlier.keyOf(new PrepareStage.Item(task));
            List<VectorName> vectors = new ArrayList<>();
            for (Specification spec : StudyVectors.captured(ctx.study())) vectors.add(VectorName.of(spec));
            vectors.addAll(StudyVectors.onSource(ctx.study(), ctx.hasSource()));
            for (VectorName vector : vectors) {
                if (vector.recipe() == VectorName.Recipe.INSTRUCTION) {
                    Map<String, Object> settings = new TreeMap<>();
                    settings.put("instruction", ctx.study().specifications().instructions().get(task));
                    out.add(ItemKeys.item(ctx, name(), new Item(task, 0, vector, List.of()), settings, inputs(ctx, vector, prepare, List.of())));
                    continue;
                }
                for (int seed : ctx.study().seeds()) out.addAll(shards(ctx, task, seed, vector, prepare));
            }
            if (StudyVectors.addMode(ctx.study())) {
                for (Modality m : StudyVectors.targets(ctx.study())) {
                    List<TaskItem> val = ctx.dataset().items(task, Split.VAL);
                    List<PlannedPrompt> prompts = new ArrayList<>();
                    for (TaskItem q : val) prompts.add(ctx.target().planner().query(task, Split.VAL, q, m));
                    Item item = new Item(task, 0, VectorName.query(m), val.stream().map(TaskItem::id).toList());
                    out.add(ItemKeys.item(ctx, name(), item, Map.of("pre_resize_width", String.valueOf(ctx.study().preResizeWidth())),
                            inputs(ctx, item.vector(), prepare, prompts)));
                }
            }
        }
        return out;
    }

    /** Shards of the val source prompts of (task, seed, vector). */
    private List<PlannedItem> shards(RunContext ctx, String task, int seed, VectorName vector, String prepare) {
        Specification spec = vector.specification().orElseThrow();
        List<TaskItem> val = ctx.dataset().items(task, Split.VAL);
        List<PlannedItem> out = new ArrayList<>();
        for (int start = 0; start < val.size(); start += SHARD) {
            List<TaskItem> shard = val.subList(start, Math.min(val.size(), start + SHARD));
            List<PlannedPrompt> prompts = new ArrayList<>();
            for (TaskItem item : shard) prompts.add(ctx.target().planner().source(task, seed, Split.VAL, item, spec));
            Map<String, Object> settings = new TreeMap<>();
            settings.put("shots", ctx.study().shots());
            settings.put("pre_resize_width", ctx.study().preResizeWidth());
            Item item = new Item(task, seed, vector, shard.stream().map(TaskItem::id).toList());
            out.add(ItemKeys.item(ctx, name(), item, settings, inputs(ctx, vector, prepare, prompts)));
        }
        return out;
    }

    private static Map<String, Object> inputs(RunContext ctx, VectorName vector, String prepare, List<PlannedPrompt> prompts) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("prepare", prepare);
        if (!prompts.isEmpty()) inputs.put("images", ItemKeys.imageHashes(ctx, prompts));
        if (vector.onSource()) inputs.put("source_model", ctx.modelOf(vector).keyPart());
        return inputs;
    }

    @Override
    public void execute(RunContext ctx, JsonNode parts) {
        Item item = Item.of(parts.get("item"));
        StudyModel model = ctx.modelOf(item.vector());
        boolean query = item.vector().recipe() == VectorName.Recipe.QUERY;
        List<PlannedPrompt> plans = new ArrayList<>();
        if (item.instruction()) {
            plans.add(model.planner().instruction(item.task(), ctx.study().specifications().instructions().get(item.task())));
        } else {
            for (String id : item.items()) {
                TaskItem q = ctx.dataset().item(item.task(), Split.VAL, id);
                plans.add(query ? model.planner().query(item.task(), Split.VAL, q, item.vector().query())
                        : model.planner().source(item.task(), item.seed(), Split.VAL, q, item.vector().specification().orElseThrow()));
            }
        }
        var resolved = model.encoder().resolveAll(plans);
        List<LayerVectors> captured = query ? VectorCapture.atWrite(model.model(), model.encoder(), resolved) // per prompt (L, D)
                : VectorCapture.atRead(model.model(), model.encoder(), resolved);
        Map<String, Long> promptIds = promptIds(ctx, item.task(), item.seed());
        List<Vector> rows = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            Long promptId = null; // a source-model row has none: the prompt row holds the target's tokenization
            if (!item.vector().onSource()) {
                promptId = promptIds.get(PrepareStage.rowKey(plans.get(i)));
                if (promptId == null) throw new IllegalStateException("run " + ctx.runId() + ": prepare recorded no prompt for " + plans.get(i).describe());
            }
            String variant = item.instruction() ? "instruction" : item.items().get(i);
            LayerVectors v = captured.get(i);
            for (int l = 0; l < v.numLayers(); l++) {
                rows.add(Vector.of(ctx.runId(), model.name(), item.task(), item.vector().toString(), item.seed(), l,
                        query ? Vector.Kind.QUERY : Vector.Kind.PROMPT, variant, promptId, v.layer(l), List.of()));
            }
        }
        ctx.store().vectors().insertAll(rows);
    }

    @Override
    public int expectedOutputs(RunContext ctx, JsonNode parts) {
        Item item = Item.of(parts.get("item"));
        return (item.instruction() ? 1 : item.items().size()) * ctx.target().numLayers();
    }

    @Override
    public ItemRows outputs(JsonNode node) {
        Item item = Item.of(node);
        String[] variants = item.instruction() ? new String[] {"instruction"} : item.items().toArray(String[]::new);
        String kind = item.vector().recipe() == VectorName.Recipe.QUERY ? Vector.Kind.QUERY.db() : Vector.Kind.PROMPT.db();
        return ItemRows.of(ItemRows.Table.VECTORS, "kind", kind, "task", item.task(), "spec", item.vector().toString(),
                "seed", item.seed(), "variant", variants);
    }

    private static Map<String, Long> promptIds(RunContext ctx, String task, int seed) {
        Map<String, Long> out = new HashMap<>();
        for (Prompt p : ctx.store().prompts().list(ctx.runId(), task, seed, "val")) out.put(PrepareStage.rowKey(p), p.id());
        return out;
    }
}
