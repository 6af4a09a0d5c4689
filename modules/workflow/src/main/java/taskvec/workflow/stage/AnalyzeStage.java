package taskvec.workflow.stage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import taskvec.store.repo.ItemRows;
import taskvec.study.config.AnalysisSettings;
import taskvec.study.prompt.Specification;
import taskvec.workflow.context.RunContext;
import taskvec.workflow.plan.ItemKeys;
import taskvec.workflow.plan.PlannedItem;
import taskvec.workflow.plan.PlannedStages;
import taskvec.workflow.plan.StageItem;

/**
 * analyze: the paper's analyses over the run's model, vectors and results (the computing is in
 * taskvec.study.analysis). Items: 'phases' per task (logit lens at the last token of the first
 * seed's val source prompts: phase_lens, phase_tokens), 'similarity' (cosines between task
 * vectors, seeds averaged: vector_similarity), 'map' (PCA of prompt vectors and context
 * embeddings at one layer: embedding_map), 'conflict' (queries prompted with one task, patched
 * with another of its domain: task_conflict). Runs after evaluate: conflict patches at the layer
 * val chose. An analysis the study switches off stores nothing.
 */
public final class AnalyzeStage implements Stage {

    /** @param task the task of a 'phases' item, else null */
    public record Item(String analysis, String task) implements StageItem {
        @Override
        public Map<String, Object> keyPart() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("analysis", analysis);
            if (task != null) m.put("task", task);
            return m;
        }
    }

    @Override
    public String name() {
        return "analyze";
    }

    @Override
    public Map<String, Object> settings(RunContext ctx) {
        return Map.of();
    }

    @Override
    public List<PlannedItem> plan(RunContext ctx, PlannedStages earlier) {
        Map<String, Object> inputs = Map.of("evaluate_val", ItemKeys.hashOf(earlier.items("evaluate")));
        // the study's analyses settings, so changing one (a task word, the map's layer) redoes the stage
        Map<String, Object> settings = Map.of("analyses", ctx.study().analyses());
        List<Item> items = new ArrayList<>();
        if (!exampleSpecs(ctx).isEmpty()) {
            for (String task : ctx.study().tasks()) items.add(new Item("phases", task));
            items.add(new Item("map", null));
            if (!ConflictAnalysis.domains(ctx.study().tasks()).isEmpty()) items.add(new Item("conflict", null));
        }
        items.add(new Item("similarity", null));
        return items.stream().map(i -> ItemKeys.item(ctx, name(), i, settings, inputs)).toList();
    }

    @Override
    public void execute(RunContext ctx, JsonNode parts) {
        JsonNode item = parts.get("item");
        FailedWork.refuse(ctx, Set.of("analyze", "report"), "the analyses need");
        AnalysisSettings settings = ctx.study().analyses();
        String analysis = item.get("analysis").asText();
        if (!enabled(settings, analysis)) return;
        switch (analysis) {
            case "phases" -> PhasesAnalysis.run(ctx, settings, item.get("task").asText());
            case "similarity" -> SimilarityAnalysis.run(ctx);
            case "map" -> MapAnalysis.run(ctx, mapLayer(ctx, settings));
            case "conflict" -> ConflictAnalysis.run(ctx);
            default -> throw new IllegalArgumentException("no analysis " + analysis);
        }
    }

    @Override
    public int expectedOutputs(RunContext ctx, JsonNode parts) {
        String analysis = parts.get("item").get("analysis").asText();
        if (!enabled(ctx.study().analyses(), analysis)) return 0;
        return analysis.equals("phases") ? exampleSpecs(ctx).size() * ctx.target().numLayers() * PhasesAnalysis.PROBES : -1;
    }

    @Override
    public ItemRows outputs(JsonNode item) {
        return switch (item.get("analysis").asText()) {
            case "phases" -> ItemRows.of(ItemRows.Table.PHASES, "task", item.get("task").asText());
            case "similarity" -> ItemRows.all(ItemRows.Table.VECTOR_SIMILARITY);
            case "map" -> ItemRows.all(ItemRows.Table.EMBEDDING_MAP);
            case "conflict" -> ItemRows.all(ItemRows.Table.TASK_CONFLICT);
            default -> throw new IllegalArgumentException("no analysis " + item.get("analysis"));
        };
    }

    /** Whether the study runs this analysis ('map' follows 'similarity'). */
    static boolean enabled(AnalysisSettings s, String analysis) {
        return switch (analysis) {
            case "phases" -> s.phases();
            case "similarity", "map" -> s.similarity();
            case "conflict" -> s.conflict();
            default -> throw new IllegalArgumentException("no analysis " + analysis);
        };
    }

    /** The example specifications the study captures (the phases and the map follow these prompts). */
    static List<Specification> exampleSpecs(RunContext ctx) {
        List<Specification> out = new ArrayList<>();
        if (ctx.study().specifications().textExamples()) out.add(Specification.TEXT_EXAMPLES);
        if (ctx.study().specifications().imageExamples()) out.add(Specification.IMAGE_EXAMPLES);
        return out;
    }

    /** The layer of the map: the study's, else the middle one. */
    static int mapLayer(RunContext ctx, AnalysisSettings settings) {
        int layers = ctx.target().numLayers();
        int l = settings.mapLayer() != null ? settings.mapLayer() : layers / 2;
        if (l >= layers) throw new IllegalArgumentException(ctx.study().file() + ": analyses.map_layer: " + l + " but the model has "
                + layers + " layers");
        return l;
    }
}
