package taskvec.workflow.stage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import taskvec.store.repo.Prediction;
import taskvec.store.repo.Vector;
import taskvec.study.config.Study;
import taskvec.study.data.Split;
import taskvec.study.data.TaskItem;
import taskvec.study.eval.Evaluator;
import taskvec.study.eval.PatchVector;
import taskvec.study.prompt.Modality;
import taskvec.study.prompt.ModalityPair;
import taskvec.study.prompt.PlannedPrompt;
import taskvec.study.prompt.ResolvedPrompt;
import taskvec.study.prompt.Specification;
import taskvec.study.vectors.LayerVectors;
import taskvec.workflow.RunContext;
import taskvec.workflow.plan.StudyPlan;

/**
 * evaluate: for a shard of query items of one task and split, the no-context answers (per target
 * modality), the in-context answers (per pair and seed) and the patched answers (per pair, seed,
 * vector and layer: every study layer on val, the chosen layer on test). One runtime call per
 * query covers all its patched rows.
 */
public final class EvaluateWork implements ItemWork {

    @Override
    public void execute(RunContext ctx, JsonNode parts) {
        JsonNode item = parts.get("item");
        Study study = ctx.study();
        String task = item.get("task").asText();
        Split split = Split.parse(item.get("split").asText());
        List<TaskItem> queries = new ArrayList<>();
        for (JsonNode id : item.get("items")) queries.add(ctx.dataset().item(task, split, id.asText()));
        Evaluator ev = ctx.evaluator();
        List<Prediction> rows = new ArrayList<>();
        for (Modality target : targets(study)) {
            for (var p : ev.generate(queries(ctx, task, split, queries, target), 0, "no-context")) {
                rows.add(row(ctx, task, 0, split, p, "no_context", null, target, null, null));
            }
        }
        for (int seed : study.seeds()) {
            for (ModalityPair pair : study.modalityPairs()) {
                List<PlannedPrompt> context = new ArrayList<>();
                for (TaskItem q : queries) context.add(ctx.planner().context(task, seed, split, q, pair.source(), pair.target()));
                String spec = Specification.examples(pair.source()).label();
                for (var p : ev.generate(ctx.encoder().resolveAll(context), seed, "prompt")) {
                    rows.add(row(ctx, task, seed, split, p, "prompt", spec, pair.target(), null, null));
                }
            }
            for (ModalityPair pair : study.modalityPairs()) {
                List<Evaluator.PatchAt> patches = new ArrayList<>();
                List<Long> vectorIds = new ArrayList<>();
                for (String name : StudyPlan.patchedVectors(study, pair)) {
                    List<Vector> byLayer = EnsembleWork.means(ctx, task, seed, name, name.equals("ensemble") ? Vector.Kind.ENSEMBLE : Vector.Kind.MEAN);
                    PatchVector vector = PatchVector.replace(EnsembleWork.layers(byLayer));
                    for (int layer : layers(ctx, parts, name, pair)) {
                        patches.add(new Evaluator.PatchAt(new Evaluator.Patch(name, vector), layer));
                        vectorIds.add(byLayer.get(layer).id());
                    }
                }
                List<taskvec.study.eval.Prediction> preds = ev.patchAt(queries(ctx, task, split, queries, pair.target()), seed, patches);
                for (int i = 0; i < preds.size(); i++) {
                    int k = i % patches.size(); // per query, one prediction per (vector, layer) in order
                    Evaluator.PatchAt at = patches.get(k);
                    rows.add(row(ctx, task, seed, split, preds.get(i), "patch", at.patch().condition(), pair.target(), at.layer(),
                            vectorIds.get(k)));
                }
            }
        }
        ctx.store().predictions().insertAll(rows);
    }

    @Override
    public int expectedOutputs(RunContext ctx, JsonNode parts) {
        Study study = ctx.study();
        int perQuery = targets(study).size();
        for (int seed : study.seeds()) {
            for (ModalityPair pair : study.modalityPairs()) {
                perQuery += 1;
                for (String name : StudyPlan.patchedVectors(study, pair)) perQuery += layers(ctx, parts, name, pair).size();
            }
        }
        return perQuery * parts.get("item").get("items").size();
    }

    /** Val: every study layer; test: the layer chosen for (vector, target modality). */
    static List<Integer> layers(RunContext ctx, JsonNode parts, String vector, ModalityPair pair) {
        JsonNode chosen = parts.path("settings").path("chosen_layers");
        if (chosen.isMissingNode()) return ctx.study().resolveLayers(ctx.model().numLayers());
        JsonNode layer = chosen.get(vector + "|" + pair.target().label());
        if (layer == null) throw new IllegalStateException("no chosen layer for " + vector + " into " + pair.target().label());
        return List.of(layer.asInt());
    }

    static Set<Modality> targets(Study study) {
        Set<Modality> out = new LinkedHashSet<>();
        for (ModalityPair pair : study.modalityPairs()) out.add(pair.target());
        return out;
    }

    private static List<ResolvedPrompt> queries(RunContext ctx, String task, Split split, List<TaskItem> items, Modality modality) {
        List<PlannedPrompt> qs = new ArrayList<>();
        for (TaskItem q : items) qs.add(ctx.planner().query(task, split, q, modality));
        return ctx.encoder().resolveAll(qs);
    }

    private static Prediction row(RunContext ctx, String task, int seed, Split split, taskvec.study.eval.Prediction p, String condition,
                                  String spec, Modality modality, Integer layer, Long vectorId) {
        return new Prediction(ctx.runId(), ctx.modelName(), task, seed, split.fileName(), p.item(), condition, spec, modality.label(),
                layer, condition.equals("patch") ? "replace" : null, null, p.prediction(), p.correct(), vectorId);
    }
}
