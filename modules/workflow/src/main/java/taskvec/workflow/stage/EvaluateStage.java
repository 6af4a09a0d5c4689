package taskvec.workflow.stage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import taskvec.store.repo.ItemRows;
import taskvec.store.repo.Prediction;
import taskvec.store.repo.Vector;
import taskvec.study.config.Study;
import taskvec.study.data.Domains;
import taskvec.study.data.Split;
import taskvec.study.data.TaskItem;
import taskvec.study.design.StudyVectors;
import taskvec.study.eval.Evaluator;
import taskvec.study.eval.Patches;
import taskvec.study.prompt.Modality;
import taskvec.study.prompt.ModalityPair;
import taskvec.study.prompt.PlannedPrompt;
import taskvec.study.prompt.Specification;
import taskvec.study.vectors.LayerVectors;
import taskvec.study.vectors.VectorName;
import taskvec.workflow.context.RunContext;
import taskvec.workflow.plan.ItemKeys;
import taskvec.workflow.plan.PlannedItem;
import taskvec.workflow.plan.PlannedStages;
import taskvec.workflow.plan.StageItem;

/**
 * evaluate: for a shard of query items of one task and split, the no-context answers (per query
 * modality), the in-context answers (per pair and seed) and the patched answers (per pair, seed,
 * vector, mode/alpha and layer), written to {@code predictions}. Val items patch every study
 * layer; once they are all done, test items patch the layer val chose (best_layer), the
 * sample-efficiency subsets at their full vector's. The patches are the study library's
 * (Patches), one runtime call per query for all its patched rows.
 */
public final class EvaluateStage implements Stage {
    /** Query items per evaluate item. */
    public static final int SHARD = 3;

    public record Item(String task, Split split, List<String> items) implements StageItem {
        @Override
        public Map<String, Object> keyPart() {
            return Map.of("task", task, "split", split.fileName(), "items", items);
        }
    }

    @Override
    public String name() {
        return "evaluate";
    }

    @Override
    public Map<String, Object> settings(RunContext ctx) {
        Map<String, Object> s = new TreeMap<>();
        s.put("layers", ctx.study().resolveLayers(ctx.target().numLayers()));
        s.put("decoding", ctx.study().decoding());
        s.put("lowercase", ctx.study().lowercase());
        s.put("modality_pairs", ctx.study().modalityPairs().stream().map(ModalityPair::label).toList());
        s.put("pre_resize_width", ctx.study().preResizeWidth());
        s.put("shots", ctx.study().shots());
        s.put("interventions", ctx.study().interventions());
        return s;
    }

    @Override
    public List<PlannedItem> plan(RunContext ctx, PlannedStages earlier) {
        return items(ctx, earlier, Split.VAL, settings(ctx));
    }

    @Override
    public boolean followsUp() {
        return true;
    }

    /** Test items, at the layers val chose (best_layer). */
    @Override
    public List<PlannedItem> followUp(RunContext ctx, PlannedStages plan) {
        return testItems(ctx, plan, ChosenLayers.read(ctx));
    }

    /** Test items at the given layers: "text-examples|image|replace" -> layer, per vector, query modality, mode and alpha. */
    public List<PlannedItem> testItems(RunContext ctx, PlannedStages plan, Map<String, Integer> chosen) {
        Map<String, Object> settings = settings(ctx);
        settings.remove("layers");
        settings.put("chosen_layers", new TreeMap<>(chosen));
        settings.put("sample_efficiency", ctx.study().sampleEfficiency());
        return items(ctx, plan, Split.TEST, settings);
    }

    private List<PlannedItem> items(RunContext ctx, PlannedStages earlier, Split split, Map<String, Object> settings) {
        Study study = ctx.study();
        List<PlannedItem> out = new ArrayList<>();
        for (String task : study.tasks()) {
            List<TaskItem> queries = ctx.dataset().items(task, split);
            int valItems = ctx.dataset().items(task, Split.VAL).size();
            for (int start = 0; start < queries.size(); start += SHARD) {
                List<TaskItem> shard = queries.subList(start, Math.min(queries.size(), start + SHARD));
                List<PlannedPrompt> prompts = new ArrayList<>();
                Map<String, String> vectors = new TreeMap<>();
                for (TaskItem q : shard) {
                    for (ModalityPair pair : study.modalityPairs()) {
                        prompts.add(ctx.target().planner().query(task, split, q, pair.target()));
                        for (int seed : study.seeds()) {
                            prompts.add(ctx.target().planner().context(task, seed, split, q, pair.source(), pair.target()));
                            for (VectorName name : StudyVectors.patched(study, pair, ctx.hasSource(), split, valItems)) {
                                vectors.put(name + "|" + seed, earlier.keyOf(StoredVectors.madeBy(task, seed, name)));
                            }
                        }
                        if (StudyVectors.addMode(study)) {
                            vectors.put("baseline|" + Domains.of(task) + "|" + pair.target().label(),
                                    earlier.keyOf(new AverageStage.BaselineItem(Domains.of(task), pair.target())));
                        }
                    }
                }
                Map<String, Object> inputs = new LinkedHashMap<>();
                inputs.put("prepare", earlier.keyOf(new PrepareStage.Item(task)));
                inputs.put("vectors", vectors);
                inputs.put("images", ItemKeys.imageHashes(ctx, prompts));
                out.add(ItemKeys.item(ctx, name(), new Item(task, split, shard.stream().map(TaskItem::id).toList()), settings, inputs));
            }
        }
        return out;
    }

    @Override
    public void execute(RunContext ctx, JsonNode parts) {
        Study study = ctx.study();
        JsonNode item = parts.get("item");
        String task = item.get("task").asText();
        Split split = Split.parse(item.get("split").asText());
        List<TaskItem> queries = new ArrayList<>();
        for (JsonNode id : item.get("items")) queries.add(ctx.dataset().item(task, split, id.asText()));
        Evaluator ev = ctx.target().evaluator();
        List<Prediction> rows = new ArrayList<>();
        for (Modality target : StudyVectors.targets(study)) {
            for (var p : ev.generate(ctx.target().queries(task, split, queries, target), 0, "no-context")) {
                rows.add(PredictionRows.unpatched(ctx, p, "no_context", null, target));
            }
        }
        for (int seed : study.seeds()) {
            for (ModalityPair pair : study.modalityPairs()) {
                List<PlannedPrompt> context = new ArrayList<>();
                for (TaskItem q : queries) context.add(ctx.target().planner().context(task, seed, split, q, pair.source(), pair.target()));
                String spec = Specification.examples(pair.source()).label();
                for (var p : ev.generate(ctx.target().encoder().resolveAll(context), seed, "prompt")) {
                    rows.add(PredictionRows.unpatched(ctx, p, "prompt", spec, pair.target()));
                }
            }
            for (ModalityPair pair : study.modalityPairs()) {
                List<VectorName> names = StudyVectors.patched(study, pair, ctx.hasSource(), split, ctx.dataset().items(task, Split.VAL).size());
                Map<VectorName, List<Vector>> stored = new HashMap<>();
                for (VectorName n : names) stored.put(n, StoredVectors.layerRows(ctx, ctx.modelOf(n).name(), task, seed, n.toString(), StoredVectors.kindOf(n)));
                LayerVectors baseline = !StudyVectors.addMode(study) ? null : StoredVectors.values(StoredVectors.layerRows(ctx, ctx.target().name(),
                        Domains.of(task), 0, VectorName.query(pair.target()).toString(), Vector.Kind.BASELINE));
                List<Evaluator.PatchAt> patches = new ArrayList<>();
                for (Evaluator.Patch p : Patches.of(study.interventions(), pair, names, n -> StoredVectors.values(stored.get(n)), baseline)) {
                    for (int layer : ChosenLayers.layers(ctx, parts, p.name(), pair.target(), ChosenLayers.modeLabel(p.vector()))) {
                        patches.add(new Evaluator.PatchAt(p, layer));
                    }
                }
                List<taskvec.study.eval.Prediction> preds = ev.patchAt(ctx.target().queries(task, split, queries, pair.target()), seed, patches);
                rows.addAll(PredictionRows.patched(ctx, preds, patches, pair.target(), stored));
            }
        }
        ctx.store().predictions().insertAll(rows);
    }

    @Override
    public int expectedOutputs(RunContext ctx, JsonNode parts) {
        Study study = ctx.study();
        JsonNode item = parts.get("item");
        int valItems = ctx.dataset().items(item.get("task").asText(), Split.VAL).size();
        int perQuery = StudyVectors.targets(study).size(); // no context, per query modality
        for (ModalityPair pair : study.modalityPairs()) {
            perQuery += study.seeds().size(); // in context
            for (VectorName name : StudyVectors.patched(study, pair, ctx.hasSource(), Split.parse(item.get("split").asText()), valItems)) {
                for (String mode : ChosenLayers.modeLabels(study)) perQuery += study.seeds().size() * ChosenLayers.layers(ctx, parts, name, pair.target(), mode).size();
            }
        }
        return perQuery * item.get("items").size();
    }

    @Override
    public ItemRows outputs(JsonNode item) {
        List<String> ids = new ArrayList<>();
        item.get("items").forEach(i -> ids.add(i.asText()));
        return ItemRows.of(ItemRows.Table.PREDICTIONS, "task", item.get("task").asText(), "split", item.get("split").asText(),
                "item_id", ids.toArray(String[]::new));
    }
}
