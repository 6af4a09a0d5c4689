package taskvec.workflow.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import taskvec.store.repo.ItemRows;
import taskvec.store.repo.Vector;
import taskvec.study.data.Split;
import taskvec.study.data.TaskItem;
import taskvec.study.design.StudyVectors;
import taskvec.study.prompt.Specification;
import taskvec.study.vectors.LayerVectors;
import taskvec.study.vectors.SampleEfficiency;
import taskvec.study.vectors.VectorMath;
import taskvec.study.vectors.VectorName;
import taskvec.workflow.context.RunContext;
import taskvec.workflow.context.WorkflowInputException;
import taskvec.workflow.plan.ItemKeys;
import taskvec.workflow.plan.PlannedItem;
import taskvec.workflow.plan.PlannedStages;
import taskvec.workflow.plan.StageItem;

/**
 * ensemble: what is made from the task vectors of (task, seed). An ensemble item weighs text
 * examples and instruction (kind 'ensemble', both as parents), of the target's vectors or the
 * source model's. A subsets item makes the sample-efficiency curve: for r = 1..max the mean of r
 * seeded text-example prompt vectors (kind 'subset', the chosen prompt vectors as parents) and
 * its ensemble with the instruction. A cosine item stores how close the source model's vectors
 * are to the target's per layer (metric 'transfer_cosine', keys task, seed, spec, layer).
 */
public final class EnsembleStage implements Stage {
    public static final String TRANSFER_COSINE = "transfer_cosine";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final VectorName EXAMPLES = VectorName.of(Specification.TEXT_EXAMPLES);
    private static final VectorName INSTRUCTION = VectorName.of(Specification.INSTRUCTION);

    /** @param vector the ensemble made ("ensemble" or "source:ensemble") */
    public record Item(String task, int seed, VectorName vector) implements StageItem {
        @Override
        public Map<String, Object> keyPart() {
            return vector.onSource() ? Map.of("task", task, "seed", seed, "spec", vector.toString()) : Map.of("task", task, "seed", seed);
        }
    }

    public record SubsetsItem(String task, int seed) implements StageItem {
        @Override
        public Map<String, Object> keyPart() {
            return Map.of("task", task, "seed", seed, "spec", "subsets");
        }
    }

    public record CosineItem(String task, int seed) implements StageItem {
        @Override
        public Map<String, Object> keyPart() {
            return Map.of("task", task, "seed", seed, "spec", "transfer-cosine");
        }
    }

    @Override
    public String name() {
        return "ensemble";
    }

    @Override
    public Map<String, Object> settings(RunContext ctx) {
        return Map.of("ensembling", ctx.study().ensembling(), "sample_efficiency", ctx.study().sampleEfficiency());
    }

    @Override
    public List<PlannedItem> plan(RunContext ctx, PlannedStages earlier) {
        List<PlannedItem> ensembles = new ArrayList<>(), subsets = new ArrayList<>(), cosines = new ArrayList<>();
        List<VectorName> onSource = StudyVectors.onSource(ctx.study(), ctx.hasSource());
        for (String task : ctx.study().tasks()) {
            for (int seed : ctx.study().seeds()) {
                if (ctx.study().ensembling().enabled()) {
                    ensembles.add(ensembleItem(ctx, earlier, new Item(task, seed, VectorName.ensemble())));
                    if (!onSource.isEmpty()) ensembles.add(ensembleItem(ctx, earlier, new Item(task, seed, VectorName.ensemble().onSourceModel())));
                }
                if (StudyVectors.sampleEfficiency(ctx.study())) {
                    Map<String, Object> inputs = new LinkedHashMap<>();
                    inputs.put("capture", earlier.all(CaptureStage.Item.class, c -> c.task().equals(task) && c.seed() == seed
                            && c.vector().equals(EXAMPLES)).stream().map(i -> i.key().hash()).toList());
                    earlier.find(new AverageStage.Item(task, seed, INSTRUCTION)).ifPresent(i -> inputs.put("instruction", i.key().hash()));
                    Map<String, Object> settings = new TreeMap<>(settings(ctx));
                    settings.put("shots", ctx.study().shots());
                    subsets.add(ItemKeys.item(ctx, name(), new SubsetsItem(task, seed), settings, inputs));
                }
                if (!onSource.isEmpty()) {
                    Map<String, Object> inputs = new TreeMap<>();
                    for (VectorName v : onSource) {
                        inputs.put(v.toString(), earlier.keyOf(new AverageStage.Item(task, seed, v)));
                        inputs.put(v.onTarget().toString(), earlier.keyOf(new AverageStage.Item(task, seed, v.onTarget())));
                    }
                    cosines.add(ItemKeys.item(ctx, name(), new CosineItem(task, seed), Map.of(), inputs));
                }
            }
        }
        ensembles.addAll(subsets);
        ensembles.addAll(cosines);
        return ensembles;
    }

    private PlannedItem ensembleItem(RunContext ctx, PlannedStages earlier, Item item) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        for (VectorName part : List.of(EXAMPLES, INSTRUCTION)) {
            PlannedItem average = earlier.find(new AverageStage.Item(item.task(), item.seed(), part.onModelOf(item.vector())))
                    .orElseThrow(() -> new WorkflowInputException(ctx.study().file() + ": ensembling: needs " + part + " vectors"));
            inputs.put(part.toString(), average.key().hash());
        }
        return ItemKeys.item(ctx, name(), item, Map.of("ensembling", ctx.study().ensembling()), inputs);
    }

    @Override
    public void execute(RunContext ctx, JsonNode parts) {
        JsonNode item = parts.get("item");
        String task = item.get("task").asText();
        int seed = item.get("seed").asInt();
        switch (item.path("spec").asText("ensemble")) {
            case "subsets" -> subsets(ctx, task, seed);
            case "transfer-cosine" -> cosines(ctx, task, seed);
            default -> {
                VectorName ensemble = VectorName.parse(item.path("spec").asText("ensemble"));
                String model = ctx.modelOf(ensemble).name();
                List<Vector> examples = StoredVectors.layerRows(ctx, model, task, seed, EXAMPLES.onModelOf(ensemble).toString(), Vector.Kind.MEAN);
                List<Vector> instruction = StoredVectors.layerRows(ctx, model, task, seed, INSTRUCTION.onModelOf(ensemble).toString(), Vector.Kind.MEAN);
                writeEnsemble(ctx, model, task, seed, ensemble, Vector.Kind.ENSEMBLE, StoredVectors.values(examples), StoredVectors.ids(examples),
                        instruction);
            }
        }
    }

    /** The ensemble of text-example vectors with the instruction's (ensembling's weights), parents the two rows of each layer. */
    private static void writeEnsemble(RunContext ctx, String model, String task, int seed, VectorName name, Vector.Kind kind,
                                      LayerVectors examples, List<Long> examplesIds, List<Vector> instruction) {
        LayerVectors ens = VectorMath.ensemble(ctx.study().ensembling(), examples, StoredVectors.values(instruction));
        StoredVectors.write(ctx, model, task, name.toString(), seed, kind, ens, StoredVectors.parents(examplesIds, StoredVectors.ids(instruction)));
    }

    /** The sample-efficiency curve of (task, seed) with SampleEfficiency.curve, and each subset's ensemble with the instruction. */
    private static void subsets(RunContext ctx, String task, int seed) {
        String model = ctx.target().name();
        List<String> order = ctx.dataset().items(task, Split.VAL).stream().map(TaskItem::id).toList();
        List<StoredVectors.Captured> captured = StoredVectors.captured(ctx, model, task, EXAMPLES.toString(), seed, Vector.Kind.PROMPT, order);
        List<Vector> instruction = StudyVectors.subsetEnsembles(ctx.study())
                ? StoredVectors.layerRows(ctx, model, task, seed, INSTRUCTION.toString(), Vector.Kind.MEAN) : null;
        int max = StudyVectors.maxSubsetPrompts(ctx.study(), captured.size());
        List<LayerVectors> perPrompt = captured.stream().map(StoredVectors.Captured::values).toList();
        for (SampleEfficiency.Subset s : SampleEfficiency.curve(task, EXAMPLES.toString(), seed, max, ctx.study().shots(), perPrompt)) {
            List<List<Long>> parents = StoredVectors.parents(Arrays.stream(s.chosen()).mapToObj(captured::get).toList(), s.mean().numLayers());
            List<Long> ids = StoredVectors.write(ctx, model, task, EXAMPLES.subset(s.prompts()).toString(), seed, Vector.Kind.SUBSET, s.mean(), parents);
            if (instruction != null) writeEnsemble(ctx, model, task, seed, VectorName.ensemble().subset(s.prompts()), Vector.Kind.SUBSET, s.mean(), ids, instruction);
        }
    }

    private static void cosines(RunContext ctx, String task, int seed) {
        for (VectorName v : StudyVectors.onSource(ctx.study(), true)) {
            LayerVectors source = StoredVectors.values(StoredVectors.layerRows(ctx, ctx.modelOf(v).name(), task, seed, v.toString(), Vector.Kind.MEAN));
            LayerVectors target = StoredVectors.values(StoredVectors.layerRows(ctx, ctx.target().name(), task, seed, v.onTarget().toString(),
                    Vector.Kind.MEAN));
            double[] cos = VectorMath.cosinePerLayer(source, target);
            for (int l = 0; l < cos.length; l++) {
                String keys = JSON.createObjectNode().put("task", task).put("seed", seed).put("spec", v.onTarget().toString()).put("layer", l).toString();
                ctx.store().metrics().put(ctx.runId(), TRANSFER_COSINE, keys, cos[l]);
            }
        }
    }

    @Override
    public int expectedOutputs(RunContext ctx, JsonNode parts) {
        JsonNode item = parts.get("item");
        int layers = ctx.target().numLayers();
        return switch (item.path("spec").asText("ensemble")) {
            case "subsets" -> StudyVectors.maxSubsetPrompts(ctx.study(), ctx.dataset().items(item.get("task").asText(), Split.VAL).size())
                    * layers * (StudyVectors.subsetEnsembles(ctx.study()) ? 2 : 1);
            case "transfer-cosine" -> StudyVectors.onSource(ctx.study(), true).size() * layers;
            default -> layers;
        };
    }

    @Override
    public ItemRows outputs(JsonNode item) {
        String task = item.get("task").asText();
        return switch (item.path("spec").asText("ensemble")) {
            case "subsets" -> ItemRows.of(ItemRows.Table.VECTORS, "kind", Vector.Kind.SUBSET.db(), "task", task, "seed", item.get("seed").asInt());
            case "transfer-cosine" -> ItemRows.of(ItemRows.Table.METRICS, "name", TRANSFER_COSINE, "keys.task", task,
                    "keys.seed", item.get("seed").asText());
            default -> ItemRows.of(ItemRows.Table.VECTORS, "kind", Vector.Kind.ENSEMBLE.db(), "task", task, "seed", item.get("seed").asInt(),
                    "spec", item.path("spec").asText("ensemble"));
        };
    }
}
