package taskvec.study.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import taskvec.model.runtime.LoadedModel;
import taskvec.study.config.Study;
import taskvec.study.data.Dataset;
import taskvec.study.data.Domains;
import taskvec.study.data.Split;
import taskvec.study.data.TaskItem;
import taskvec.study.design.StudyVectors;
import taskvec.study.prompt.Modality;
import taskvec.study.prompt.ModalityPair;
import taskvec.study.prompt.PlannedPrompt;
import taskvec.study.prompt.PromptEncoder;
import taskvec.study.prompt.PromptPlanner;
import taskvec.study.prompt.ResolvedPrompt;
import taskvec.study.prompt.Specification;
import taskvec.study.vectors.LayerVectors;
import taskvec.study.vectors.SampleEfficiency;
import taskvec.study.vectors.VectorCapture;
import taskvec.study.vectors.VectorMath;
import taskvec.study.vectors.VectorName;

/**
 * A whole study in memory, for tests that check the workflow against it: the same per-step
 * functions the workflow's stages call (PromptPlanner, VectorCapture, VectorMath, StudyVectors,
 * SampleEfficiency, Patches, Evaluator, Accuracy), chained without a store: build prompts ->
 * capture -> average -> ensemble -> evaluate val at every layer -> choose layers -> evaluate test.
 */
public final class InMemoryStudy {
    private InMemoryStudy() {}

    /** Vectors per (task, seed, name); instruction vectors repeat across seeds. */
    public record Result(List<Prediction> val, List<Prediction> test, Map<String, Integer> bestLayers,
                         List<Accuracy.Overall> valAccuracy, List<Accuracy.Overall> testAccuracy,
                         Map<VectorKey, LayerVectors> vectors, Map<String, double[]> transferCosine) {}

    public record VectorKey(String task, int seed, VectorName name) {
        public static VectorKey of(String task, int seed, String name) {
            return new VectorKey(task, seed, VectorName.parse(name));
        }
    }

    /** One model's prompts: its planner and encoder (the source model has its own tokenizer). */
    private record Side(LoadedModel model, PromptEncoder encoder, PromptPlanner planner) {
        static Side of(LoadedModel model, Dataset dataset, Study study) {
            PromptEncoder enc = new PromptEncoder(model, dataset, study.preResizeWidth());
            return new Side(model, enc, new PromptPlanner(dataset, study.shots(), enc.imagePlaceholder()));
        }
    }

    /** @param sourceModel the base LLM for LLM->VLM vectors, or null */
    public static Result run(Study study, Dataset dataset, LoadedModel target, LoadedModel sourceModel) {
        List<Integer> layers = study.resolveLayers(target.numLayers());
        Side side = Side.of(target, dataset, study);
        Map<VectorKey, LayerVectors> vectors = new LinkedHashMap<>();
        Map<VectorKey, List<LayerVectors>> perPrompt = new LinkedHashMap<>();
        for (String task : study.tasks()) capture(study, dataset, side, task, false, vectors, perPrompt);

        // LLM -> VLM: the same text prompts on the source model, patched into the target
        Map<String, double[]> cosine = new LinkedHashMap<>();
        List<VectorName> onSource = StudyVectors.onSource(study, sourceModel != null);
        if (!onSource.isEmpty()) {
            taskvec.study.config.StudyModels.requireTransferable(study.models().source().describe(), sourceModel.numLayers(), sourceModel.hiddenSize(),
                    study.models().target().describe(), target.numLayers(), target.hiddenSize());
            Side source = Side.of(sourceModel, dataset, study);
            for (String task : study.tasks()) {
                capture(study, dataset, source, task, true, vectors, perPrompt);
                for (VectorName name : onSource) {
                    boolean instruction = name.recipe() == VectorName.Recipe.INSTRUCTION;
                    for (int seed : instruction ? List.of(study.seeds().get(0)) : study.seeds()) {
                        cosine.put(task + (instruction ? "" : "|" + seed) + "|" + name.onTarget(), VectorMath.cosinePerLayer(
                                vectors.get(new VectorKey(task, seed, name)), vectors.get(new VectorKey(task, seed, name.onTarget()))));
                    }
                }
            }
        }

        // ensembles
        if (study.ensembling().enabled()) {
            for (String task : study.tasks()) {
                for (int seed : study.seeds()) {
                    for (boolean src : sourceModel != null ? List.of(false, true) : List.of(false)) {
                        LayerVectors ex = vectors.get(new VectorKey(task, seed, onModel(VectorName.of(Specification.TEXT_EXAMPLES), src)));
                        LayerVectors in = vectors.get(new VectorKey(task, seed, onModel(VectorName.of(Specification.INSTRUCTION), src)));
                        if (ex != null && in != null) {
                            vectors.put(new VectorKey(task, seed, onModel(VectorName.ensemble(), src)), VectorMath.ensemble(study.ensembling(), ex, in));
                        }
                    }
                }
            }
        }

        // the additive mode's baseline: mean zero-shot query vector per (domain, query modality), val, at the write position
        Map<String, LayerVectors> baselines = new LinkedHashMap<>();
        if (StudyVectors.addMode(study)) {
            for (Modality m : StudyVectors.targets(study)) {
                StudyVectors.domains(study).forEach((domain, tasks) -> {
                    List<ResolvedPrompt> qs = new ArrayList<>();
                    for (String task : tasks) qs.addAll(queries(side, dataset, task, Split.VAL, m));
                    baselines.put(domain + "|" + m.label(), VectorMath.mean(VectorCapture.atWrite(target, side.encoder(), qs)));
                });
            }
        }

        Evaluator evaluator = new Evaluator(target, side.encoder(), dataset, study.decoding(), study.lowercase());

        // val: every layer
        List<Prediction> val = new ArrayList<>();
        evaluateFixed(study, evaluator, side, dataset, Split.VAL, val);
        for (ModalityPair pair : study.modalityPairs()) {
            for (String task : study.tasks()) {
                List<ResolvedPrompt> qs = queries(side, dataset, task, Split.VAL, pair.target());
                for (int seed : study.seeds()) {
                    List<VectorName> names = StudyVectors.patched(study, pair, sourceModel != null);
                    val.addAll(evaluator.patch(qs, seed, patches(study, pair, task, seed, vectors, baselines, names), layers));
                }
            }
        }
        List<Accuracy.Overall> valAccuracy = Accuracy.overTasks(Accuracy.overSeeds(Accuracy.perSeed(val)));
        Map<String, Integer> best = new LinkedHashMap<>();
        for (Accuracy.Overall row : valAccuracy) {
            if (row.layer() >= 0 && !best.containsKey(row.condition())) best.put(row.condition(), Accuracy.bestLayer(valAccuracy, row.condition()));
        }

        // sample efficiency (test only, at the chosen layer of the full vector)
        if (StudyVectors.sampleEfficiency(study)) {
            VectorName examples = VectorName.of(Specification.TEXT_EXAMPLES);
            for (String task : study.tasks()) {
                for (int seed : study.seeds()) {
                    List<LayerVectors> pp = perPrompt.get(new VectorKey(task, seed, examples));
                    int max = StudyVectors.maxSubsetPrompts(study, pp.size());
                    for (SampleEfficiency.Subset s : SampleEfficiency.curve(task, examples.toString(), seed, max, study.shots(), pp)) {
                        vectors.put(new VectorKey(task, seed, examples.subset(s.prompts())), s.mean());
                        LayerVectors in = vectors.get(new VectorKey(task, seed, VectorName.of(Specification.INSTRUCTION)));
                        if (StudyVectors.subsetEnsembles(study) && in != null) {
                            vectors.put(new VectorKey(task, seed, VectorName.ensemble().subset(s.prompts())), VectorMath.ensemble(study.ensembling(), s.mean(), in));
                        }
                    }
                }
            }
        }

        // test: the chosen layer per condition (a subset at its full vector's), with the val vectors
        List<Prediction> test = new ArrayList<>();
        evaluateFixed(study, evaluator, side, dataset, Split.TEST, test);
        for (ModalityPair pair : study.modalityPairs()) {
            for (String task : study.tasks()) {
                List<ResolvedPrompt> qs = queries(side, dataset, task, Split.TEST, pair.target());
                int valItems = dataset.items(task, Split.VAL).size();
                for (int seed : study.seeds()) {
                    List<VectorName> names = StudyVectors.patched(study, pair, sourceModel != null, Split.TEST, valItems);
                    List<Evaluator.PatchAt> at = new ArrayList<>();
                    for (Evaluator.Patch p : patches(study, pair, task, seed, vectors, baselines, names)) {
                        String full = p.condition().replace("/" + p.name() + "/", "/" + p.name().full() + "/");
                        at.add(new Evaluator.PatchAt(p, best.getOrDefault(full, layers.get(0))));
                    }
                    test.addAll(evaluator.patchAt(qs, seed, at));
                }
            }
        }
        List<Accuracy.Overall> testAccuracy = Accuracy.overTasks(Accuracy.overSeeds(Accuracy.perSeed(test)));
        return new Result(val, test, best, valAccuracy, testAccuracy, vectors, cosine);
    }

    private static VectorName onModel(VectorName name, boolean source) {
        return source ? name.onSourceModel() : name;
    }

    /** A model's vectors of a task: per seed, the mean of each example specification's val prompts; the instruction once. */
    private static void capture(Study study, Dataset dataset, Side side, String task, boolean source, Map<VectorKey, LayerVectors> vectors,
                                Map<VectorKey, List<LayerVectors>> perPrompt) {
        for (Specification spec : StudyVectors.captured(study)) {
            VectorName name = onModel(VectorName.of(spec), source);
            if (source && spec == Specification.IMAGE_EXAMPLES) continue;
            if (spec == Specification.INSTRUCTION) {
                PlannedPrompt p = side.planner().instruction(task, study.specifications().instructions().get(task));
                LayerVectors v = VectorCapture.atRead(side.model(), side.encoder(), List.of(side.encoder().resolve(p))).get(0);
                for (int seed : study.seeds()) vectors.put(new VectorKey(task, seed, name), v);
                continue;
            }
            for (int seed : study.seeds()) {
                List<PlannedPrompt> prompts = new ArrayList<>();
                for (TaskItem item : dataset.items(task, Split.VAL)) prompts.add(side.planner().source(task, seed, Split.VAL, item, spec));
                List<LayerVectors> captured = VectorCapture.atRead(side.model(), side.encoder(), side.encoder().resolveAll(prompts));
                perPrompt.put(new VectorKey(task, seed, name), captured);
                vectors.put(new VectorKey(task, seed, name), VectorMath.mean(captured));
            }
        }
    }

    private static List<Evaluator.Patch> patches(Study study, ModalityPair pair, String task, int seed, Map<VectorKey, LayerVectors> vectors,
                                                 Map<String, LayerVectors> baselines, List<VectorName> names) {
        return Patches.of(study.interventions(), pair, names, n -> vectors.get(new VectorKey(task, seed, n)),
                baselines.get(Domains.of(task) + "|" + pair.target().label()));
    }

    /** No-context (once per task and query modality) and in-context prompts (per pair and seed). */
    private static void evaluateFixed(Study study, Evaluator evaluator, Side side, Dataset dataset, Split split, List<Prediction> out) {
        for (String task : study.tasks()) {
            for (Modality target : StudyVectors.targets(study)) {
                out.addAll(evaluator.generate(queries(side, dataset, task, split, target), 0, Conditions.noContext(target)));
            }
            for (ModalityPair pair : study.modalityPairs()) {
                for (int seed : study.seeds()) {
                    List<PlannedPrompt> ctx = new ArrayList<>();
                    for (TaskItem item : dataset.items(task, split)) ctx.add(side.planner().context(task, seed, split, item, pair.source(), pair.target()));
                    out.addAll(evaluator.generate(side.encoder().resolveAll(ctx), seed, Conditions.prompt(pair)));
                }
            }
        }
    }

    private static List<ResolvedPrompt> queries(Side side, Dataset dataset, String task, Split split, Modality modality) {
        List<PlannedPrompt> qs = new ArrayList<>();
        for (TaskItem item : dataset.items(task, split)) qs.add(side.planner().query(task, split, item, modality));
        return side.encoder().resolveAll(qs);
    }
}
