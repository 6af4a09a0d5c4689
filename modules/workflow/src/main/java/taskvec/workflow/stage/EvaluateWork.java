package taskvec.workflow.stage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import taskvec.store.repo.Prediction;
import taskvec.store.repo.Vector;
import taskvec.study.config.InterventionMode;
import taskvec.study.config.Study;
import taskvec.study.data.Split;
import taskvec.study.data.TaskItem;
import taskvec.study.eval.Domains;
import taskvec.study.eval.Evaluator;
import taskvec.study.eval.InMemoryStudy;
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
 * vector, mode/alpha and layer: every study layer on val, the chosen layer on test; the
 * sample-efficiency subsets on test). The patches are the study library's (InMemoryStudy.patches),
 * so both intervention modes mean exactly what they mean in memory. One runtime call per query
 * covers all its patched rows.
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
                rows.add(row(ctx, task, 0, split, p, "no_context", null, target));
            }
        }
        for (int seed : study.seeds()) {
            for (ModalityPair pair : study.modalityPairs()) {
                List<PlannedPrompt> context = new ArrayList<>();
                for (TaskItem q : queries) context.add(ctx.planner().context(task, seed, split, q, pair.source(), pair.target()));
                String spec = Specification.examples(pair.source()).label();
                for (var p : ev.generate(ctx.encoder().resolveAll(context), seed, "prompt")) {
                    rows.add(row(ctx, task, seed, split, p, "prompt", spec, pair.target()));
                }
            }
            for (ModalityPair pair : study.modalityPairs()) {
                List<String> names = names(ctx, task, split, pair);
                Map<InMemoryStudy.VectorKey, LayerVectors> vectors = new HashMap<>();
                Map<String, List<Vector>> stored = new HashMap<>();
                for (String name : names) {
                    List<Vector> byLayer = EnsembleWork.means(ctx, vectorModel(ctx, name), task, seed, name, vectorKind(name));
                    stored.put(name, byLayer);
                    vectors.put(new InMemoryStudy.VectorKey(task, seed, name), EnsembleWork.layers(byLayer));
                }
                Map<String, LayerVectors> baselines = new HashMap<>();
                if (StudyPlan.addMode(study)) {
                    String spec = StudyPlan.querySpec(pair.target());
                    baselines.put(Domains.of(task) + "|" + pair.target().label(),
                            EnsembleWork.layers(EnsembleWork.means(ctx, ctx.modelName(), Domains.of(task), 0, spec, Vector.Kind.BASELINE)));
                }
                // the study library's patches: every vector in every mode (and alpha), named as it names them
                List<Evaluator.PatchAt> patches = new ArrayList<>();
                List<String> patchNames = new ArrayList<>();
                String prefix = "patch/" + pair.label() + "/";
                for (Evaluator.Patch p : InMemoryStudy.patches(study, pair, task, seed, vectors, baselines, names)) {
                    String name = p.condition().substring(prefix.length(), p.condition().lastIndexOf('/'));
                    for (int layer : layers(ctx, parts, name, pair, modeLabel(p.vector()))) {
                        patches.add(new Evaluator.PatchAt(p, layer));
                        patchNames.add(name);
                    }
                }
                List<taskvec.study.eval.Prediction> preds = ev.patchAt(queries(ctx, task, split, queries, pair.target()), seed, patches);
                for (int i = 0; i < preds.size(); i++) {
                    int k = i % patches.size(); // per query, one prediction per (vector, mode, layer) in order
                    Evaluator.PatchAt at = patches.get(k);
                    PatchVector v = at.patch().vector();
                    boolean add = v.mode() == InterventionMode.ADD;
                    rows.add(new Prediction(ctx.runId(), ctx.modelName(), task, seed, split.fileName(), preds.get(i).item(), "patch",
                            patchNames.get(k), pair.target().label(), at.layer(), add ? "add" : "replace", add ? (float) v.alpha() : null,
                            preds.get(i).prediction(), preds.get(i).correct(), stored.get(patchNames.get(k)).get(at.layer()).id()));
                }
            }
        }
        ctx.store().predictions().insertAll(rows);
    }

    @Override
    public int expectedOutputs(RunContext ctx, JsonNode parts) {
        Study study = ctx.study();
        String task = parts.get("item").get("task").asText();
        Split split = Split.parse(parts.get("item").get("split").asText());
        int perQuery = targets(study).size();
        for (int seed : study.seeds()) {
            for (ModalityPair pair : study.modalityPairs()) {
                perQuery += 1;
                for (String name : names(ctx, task, split, pair)) {
                    for (String mode : modeLabels(study)) perQuery += layers(ctx, parts, name, pair, mode).size();
                }
            }
        }
        return perQuery * parts.get("item").get("items").size();
    }

    static List<String> names(RunContext ctx, String task, Split split, ModalityPair pair) {
        return StudyPlan.patchedVectors(ctx.study(), pair, ctx.source() != null, split, ctx.dataset().items(task, Split.VAL).size());
    }

    /** The model whose vector a name is: the source model's for "source:" names. */
    static String vectorModel(RunContext ctx, String name) {
        return name.startsWith(StudyPlan.SOURCE) ? ctx.source().name() : ctx.modelName();
    }

    static Vector.Kind vectorKind(String name) {
        if (name.startsWith("subset-r")) return Vector.Kind.SUBSET;
        return name.endsWith("ensemble") ? Vector.Kind.ENSEMBLE : Vector.Kind.MEAN;
    }

    /** "replace", or "add@" + alpha as a float (the predictions' alpha column is real). */
    public static String modeLabel(String mode, Float alpha) {
        return mode.equals("replace") ? "replace" : "add@" + alpha;
    }

    static String modeLabel(PatchVector v) {
        return v.mode() == InterventionMode.REPLACE ? "replace" : modeLabel("add", (float) v.alpha());
    }

    /** Every (mode, alpha) the study patches with, as labels. */
    public static List<String> modeLabels(Study study) {
        List<String> out = new ArrayList<>();
        for (InterventionMode mode : study.interventions().modes()) {
            if (mode == InterventionMode.REPLACE) out.add("replace");
            else for (double alpha : study.interventions().alphas()) out.add(modeLabel("add", (float) alpha));
        }
        return out;
    }

    /**
     * Val: every study layer; test: the layer chosen for (vector, target modality, mode); a subset
     * at the layer chosen for its full vector.
     */
    static List<Integer> layers(RunContext ctx, JsonNode parts, String vector, ModalityPair pair, String mode) {
        JsonNode chosen = parts.path("settings").path("chosen_layers");
        if (chosen.isMissingNode()) return ctx.study().resolveLayers(ctx.model().numLayers());
        String key = chosenKey(StudyPlan.baseName(vector), pair.target().label(), mode);
        JsonNode layer = chosen.get(key);
        if (layer == null) throw new IllegalStateException("no chosen layer for " + key);
        return List.of(layer.asInt());
    }

    /** The key of a chosen layer: "text-examples|image|add@1.0". */
    public static String chosenKey(String vector, String modality, String mode) {
        return vector + "|" + modality + "|" + mode;
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

    /** A no-context or in-context row: no layer, mode, alpha or vector. */
    private static Prediction row(RunContext ctx, String task, int seed, Split split, taskvec.study.eval.Prediction p, String condition,
                                  String spec, Modality modality) {
        return new Prediction(ctx.runId(), ctx.modelName(), task, seed, split.fileName(), p.item(), condition, spec, modality.label(),
                null, null, null, p.prediction(), p.correct(), null);
    }
}
