package taskvec.workflow.stage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import taskvec.store.repo.ItemRows;
import taskvec.store.repo.Vector;
import taskvec.study.data.Split;
import taskvec.study.data.TaskItem;
import taskvec.study.design.StudyVectors;
import taskvec.study.prompt.Modality;
import taskvec.study.prompt.Specification;
import taskvec.study.vectors.LayerVectors;
import taskvec.study.vectors.VectorMath;
import taskvec.study.vectors.VectorName;
import taskvec.workflow.context.RunContext;
import taskvec.workflow.context.StudyModel;
import taskvec.workflow.plan.ItemKeys;
import taskvec.workflow.plan.PlannedItem;
import taskvec.workflow.plan.PlannedStages;
import taskvec.workflow.plan.StageItem;

/**
 * average: the task vector of (task, seed, vector) per layer, the mean of its prompt vectors in
 * val-item order (kind 'mean'); an instruction vector is its single capture, the same for every
 * seed. A baseline item makes the additive mode's baseline: the mean of the zero-shot query
 * vectors of a domain's tasks in one query modality (kind 'baseline', stored with the domain as
 * its task). Every mean names the rows it averages as its parents.
 */
public final class AverageStage implements Stage {

    public record Item(String task, int seed, VectorName vector) implements StageItem {
        @Override
        public Map<String, Object> keyPart() {
            return Map.of("task", task, "seed", seed, "spec", vector.toString());
        }
    }

    public record BaselineItem(String domain, Modality modality) implements StageItem {
        @Override
        public Map<String, Object> keyPart() {
            return Map.of("domain", domain, "seed", 0, "spec", VectorName.query(modality).toString());
        }
    }

    @Override
    public String name() {
        return "average";
    }

    @Override
    public Map<String, Object> settings(RunContext ctx) {
        Map<String, Object> s = new TreeMap<>();
        s.put("seeds", ctx.study().seeds());
        s.put("interventions", ctx.study().interventions());
        return s;
    }

    @Override
    public List<PlannedItem> plan(RunContext ctx, PlannedStages earlier) {
        List<PlannedItem> out = new ArrayList<>();
        List<VectorName> vectors = new ArrayList<>();
        for (Specification spec : StudyVectors.captured(ctx.study())) vectors.add(VectorName.of(spec));
        vectors.addAll(StudyVectors.onSource(ctx.study(), ctx.hasSource()));
        for (String task : ctx.study().tasks()) {
            for (int seed : ctx.study().seeds()) {
                for (VectorName vector : vectors) {
                    int capturedSeed = vector.recipe() == VectorName.Recipe.INSTRUCTION ? 0 : seed;
                    List<String> inputs = keys(earlier.all(CaptureStage.Item.class,
                            c -> c.task().equals(task) && c.seed() == capturedSeed && c.vector().equals(vector)));
                    out.add(ItemKeys.item(ctx, name(), new Item(task, seed, vector), Map.of("captured_seed", capturedSeed), Map.of("capture", inputs)));
                }
            }
        }
        if (StudyVectors.addMode(ctx.study())) {
            for (Modality m : StudyVectors.targets(ctx.study())) {
                StudyVectors.domains(ctx.study()).forEach((domain, tasks) -> {
                    List<String> inputs = new ArrayList<>();
                    for (String task : tasks) {
                        inputs.addAll(keys(earlier.all(CaptureStage.Item.class, c -> c.task().equals(task) && c.vector().equals(VectorName.query(m)))));
                    }
                    out.add(ItemKeys.item(ctx, name(), new BaselineItem(domain, m), Map.of("tasks", tasks), Map.of("capture", inputs)));
                });
            }
        }
        return out;
    }

    private static List<String> keys(List<PlannedItem> items) {
        return items.stream().map(i -> i.key().hash()).toList();
    }

    @Override
    public void execute(RunContext ctx, JsonNode parts) {
        JsonNode item = parts.get("item");
        if (item.has("domain")) {
            String domain = item.get("domain").asText();
            String spec = item.get("spec").asText();
            List<StoredVectors.Captured> captured = new ArrayList<>();
            for (String task : StudyVectors.domains(ctx.study()).get(domain)) {
                List<String> order = ctx.dataset().items(task, Split.VAL).stream().map(TaskItem::id).toList();
                captured.addAll(StoredVectors.captured(ctx, ctx.target().name(), task, spec, 0, Vector.Kind.QUERY, order));
            }
            writeMean(ctx, ctx.target().name(), domain, spec, 0, Vector.Kind.BASELINE, captured);
            return;
        }
        String task = item.get("task").asText();
        int seed = item.get("seed").asInt();
        VectorName vector = VectorName.parse(item.get("spec").asText());
        StudyModel model = ctx.modelOf(vector);
        boolean instruction = vector.recipe() == VectorName.Recipe.INSTRUCTION;
        List<String> order = instruction ? List.of("instruction") : ctx.dataset().items(task, Split.VAL).stream().map(TaskItem::id).toList();
        List<StoredVectors.Captured> captured = StoredVectors.captured(ctx, model.name(), task, vector.toString(), instruction ? 0 : seed,
                Vector.Kind.PROMPT, order);
        writeMean(ctx, model.name(), task, vector.toString(), seed, Vector.Kind.MEAN, captured);
    }

    private static void writeMean(RunContext ctx, String model, String task, String spec, int seed, Vector.Kind kind,
                                  List<StoredVectors.Captured> captured) {
        LayerVectors mean = VectorMath.mean(captured.stream().map(StoredVectors.Captured::values).toList());
        StoredVectors.write(ctx, model, task, spec, seed, kind, mean, StoredVectors.parents(captured, mean.numLayers()));
    }

    @Override
    public int expectedOutputs(RunContext ctx, JsonNode parts) {
        return ctx.target().numLayers();
    }

    @Override
    public ItemRows outputs(JsonNode item) {
        if (item.has("domain")) {
            return ItemRows.of(ItemRows.Table.VECTORS, "kind", Vector.Kind.BASELINE.db(), "task", item.get("domain").asText(),
                    "spec", item.get("spec").asText(), "seed", 0);
        }
        return ItemRows.of(ItemRows.Table.VECTORS, "kind", Vector.Kind.MEAN.db(), "task", item.get("task").asText(),
                "spec", item.get("spec").asText(), "seed", item.get("seed").asInt());
    }
}
