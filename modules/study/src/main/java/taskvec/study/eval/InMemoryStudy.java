package taskvec.study.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import taskvec.model.LoadedModel;
import taskvec.study.config.InterventionMode;
import taskvec.study.config.Study;
import taskvec.study.data.Dataset;
import taskvec.study.data.Split;
import taskvec.study.data.TaskItem;
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

/**
 * A whole study in memory, chaining the steps the workflow runs as stages: build prompts ->
 * capture -> average -> ensemble -> evaluate (val, every layer) -> choose layers -> evaluate
 * (test, chosen layer, val vectors) -> summarize. For small models and tests; each step is also
 * callable on its own (PromptPlanner, PromptEncoder, VectorCapture, VectorMath,
 * SampleEfficiency, Evaluator, Accuracy).
 */
public final class InMemoryStudy {
    private InMemoryStudy() {}

    /** Vector names (see {@link Conditions}) per (task, seed); instruction vectors repeat across seeds. */
    public record Result(List<Prediction> val, List<Prediction> test, Map<String, Integer> bestLayers,
                         List<Accuracy.Overall> valAccuracy, List<Accuracy.Overall> testAccuracy,
                         Map<VectorKey, LayerVectors> vectors, Map<String, double[]> transferCosine) {}

    public record VectorKey(String task, int seed, String name) {}

    /** @param source the base LLM for LLM->VLM vectors, or null */
    public static Result run(Study study, Dataset dataset, LoadedModel target, LoadedModel source) {
        List<Integer> layers = study.resolveLayers(target.numLayers());
        PromptEncoder enc = new PromptEncoder(target, dataset, study.preResizeWidth());
        PromptPlanner planner = new PromptPlanner(dataset, study.shots(), enc.imagePlaceholder());
        boolean textSource = study.modalityPairs().stream().anyMatch(p -> p.source() == Modality.TEXT);
        boolean instructions = textSource && study.specifications().instructionsEnabled();
        Set<Specification> exampleSpecs = new LinkedHashSet<>();
        for (ModalityPair pair : study.modalityPairs()) {
            if (pair.source() == Modality.TEXT && study.specifications().textExamples()) exampleSpecs.add(Specification.TEXT_EXAMPLES);
            if (pair.source() == Modality.IMAGE && study.specifications().imageExamples()) exampleSpecs.add(Specification.IMAGE_EXAMPLES);
        }

        // capture and average (val)
        Map<VectorKey, LayerVectors> vectors = new LinkedHashMap<>();
        Map<VectorKey, List<LayerVectors>> perPrompt = new LinkedHashMap<>();
        for (String task : study.tasks()) {
            for (int seed : study.seeds()) {
                for (Specification spec : exampleSpecs) {
                    List<LayerVectors> captured = captureExamples(target, enc, planner, dataset, task, seed, spec);
                    perPrompt.put(new VectorKey(task, seed, spec.label()), captured);
                    vectors.put(new VectorKey(task, seed, spec.label()), VectorMath.mean(captured));
                }
            }
            if (instructions) {
                LayerVectors v = captureInstruction(target, enc, planner, task, study.specifications().instructions().get(task));
                for (int seed : study.seeds()) vectors.put(new VectorKey(task, seed, "instruction"), v);
            }
        }

        // LLM -> VLM: the same text prompts on the source model, patched into the target
        Map<String, double[]> cosine = new LinkedHashMap<>();
        if (source != null && textSource) {
            VectorMath.requireTransferable(study.models().source().describe(), source.numLayers(), source.hiddenSize(),
                    study.models().target().describe(), target.numLayers(), target.hiddenSize());
            PromptEncoder senc = new PromptEncoder(source, dataset, study.preResizeWidth());
            PromptPlanner splanner = new PromptPlanner(dataset, study.shots(), senc.imagePlaceholder());
            for (String task : study.tasks()) {
                for (int seed : study.seeds()) {
                    if (study.specifications().textExamples()) {
                        LayerVectors v = VectorMath.mean(captureExamples(source, senc, splanner, dataset, task, seed, Specification.TEXT_EXAMPLES));
                        vectors.put(new VectorKey(task, seed, "source:text-examples"), v);
                        cosine.put(task + "|" + seed + "|text-examples",
                                VectorMath.cosinePerLayer(v, vectors.get(new VectorKey(task, seed, "text-examples"))));
                    }
                }
                if (instructions) {
                    LayerVectors v = captureInstruction(source, senc, splanner, task, study.specifications().instructions().get(task));
                    for (int seed : study.seeds()) vectors.put(new VectorKey(task, seed, "source:instruction"), v);
                    cosine.put(task + "|instruction", VectorMath.cosinePerLayer(v, vectors.get(new VectorKey(task, study.seeds().get(0), "instruction"))));
                }
            }
        }

        // ensembles
        Study.Ensembling ens = study.ensembling();
        if (ens.enabled()) {
            double[] w = {ens.exemplarWeight(), ens.instructionWeight()};
            for (String task : study.tasks()) {
                for (int seed : study.seeds()) {
                    for (String prefix : source != null ? List.of("", "source:") : List.of("")) {
                        LayerVectors ex = vectors.get(new VectorKey(task, seed, prefix + "text-examples"));
                        LayerVectors in = vectors.get(new VectorKey(task, seed, prefix + "instruction"));
                        if (ex != null && in != null) vectors.put(new VectorKey(task, seed, prefix + "ensemble"), VectorMath.weighted(List.of(ex, in), w));
                    }
                }
            }
        }

        // the additive mode's baseline: mean zero-shot query vector per (domain, target modality), val, at the write position
        Map<String, LayerVectors> baselines = new LinkedHashMap<>();
        if (study.interventions().modes().contains(InterventionMode.ADD)) {
            Map<String, List<ResolvedPrompt>> byDomain = new LinkedHashMap<>();
            Set<String> added = new java.util.HashSet<>();
            for (ModalityPair pair : study.modalityPairs()) {
                for (String task : study.tasks()) {
                    String key = Domains.of(task) + "|" + pair.target().label();
                    if (!added.add(key + "|" + task)) continue; // two pairs with one target modality share the queries
                    byDomain.computeIfAbsent(key, k -> new ArrayList<>()).addAll(queries(enc, planner, dataset, task, Split.VAL, pair.target()));
                }
            }
            byDomain.forEach((key, qs) -> baselines.put(key, VectorMath.mean(VectorCapture.atWrite(target, enc, qs))));
        }

        Evaluator evaluator = new Evaluator(target, enc, dataset, study.decoding(), study.lowercase());

        // val: every layer
        List<Prediction> val = new ArrayList<>();
        evaluateFixed(study, evaluator, enc, planner, dataset, Split.VAL, val);
        for (ModalityPair pair : study.modalityPairs()) {
            for (String task : study.tasks()) {
                List<ResolvedPrompt> qs = queries(enc, planner, dataset, task, Split.VAL, pair.target());
                for (int seed : study.seeds()) {
                    List<Evaluator.Patch> patches = patches(study, pair, task, seed, vectors, baselines, vectorNames(study, pair, source != null));
                    val.addAll(evaluator.patch(qs, seed, patches, layers));
                }
            }
        }
        List<Accuracy.Overall> valAccuracy = Accuracy.overTasks(Accuracy.overSeeds(Accuracy.perSeed(val)));
        Map<String, Integer> best = new LinkedHashMap<>();
        for (Accuracy.Overall row : valAccuracy) {
            if (row.layer() >= 0 && !best.containsKey(row.condition())) best.put(row.condition(), Accuracy.bestLayer(valAccuracy, row.condition()));
        }

        // sample efficiency (test only, at the chosen layer of the full text-examples vector)
        if (study.sampleEfficiency().enabled() && exampleSpecs.contains(Specification.TEXT_EXAMPLES)) {
            for (String task : study.tasks()) {
                for (int seed : study.seeds()) {
                    List<LayerVectors> pp = perPrompt.get(new VectorKey(task, seed, Specification.TEXT_EXAMPLES.label()));
                    int max = Math.min(study.sampleEfficiency().maxPrompts(), pp.size());
                    for (SampleEfficiency.Subset s : SampleEfficiency.curve(task, "text-examples", seed, max, study.shots(), pp)) {
                        vectors.put(new VectorKey(task, seed, "subset-r" + s.prompts() + ":text-examples"), s.mean());
                        LayerVectors in = vectors.get(new VectorKey(task, seed, "instruction"));
                        if (study.ensembling().enabled() && in != null) {
                            vectors.put(new VectorKey(task, seed, "subset-r" + s.prompts() + ":ensemble"), VectorMath.weighted(List.of(s.mean(), in),
                                    new double[] {study.ensembling().exemplarWeight(), study.ensembling().instructionWeight()}));
                        }
                    }
                }
            }
        }

        // test: the chosen layer per condition, with the val vectors
        List<Prediction> test = new ArrayList<>();
        evaluateFixed(study, evaluator, enc, planner, dataset, Split.TEST, test);
        for (ModalityPair pair : study.modalityPairs()) {
            for (String task : study.tasks()) {
                List<ResolvedPrompt> qs = queries(enc, planner, dataset, task, Split.TEST, pair.target());
                for (int seed : study.seeds()) {
                    List<String> names = new ArrayList<>(vectorNames(study, pair, source != null));
                    for (VectorKey k : vectors.keySet()) {
                        if (k.task().equals(task) && k.seed() == seed && k.name().startsWith("subset-") && pair.source() == Modality.TEXT) names.add(k.name());
                    }
                    List<Evaluator.PatchAt> at = new ArrayList<>();
                    for (Evaluator.Patch p : patches(study, pair, task, seed, vectors, baselines, names)) {
                        at.add(new Evaluator.PatchAt(p, best.getOrDefault(p.condition(), best.getOrDefault(baseCondition(p.condition()), layers.get(0)))));
                    }
                    test.addAll(evaluator.patchAt(qs, seed, at));
                }
            }
        }
        List<Accuracy.Overall> testAccuracy = Accuracy.overTasks(Accuracy.overSeeds(Accuracy.perSeed(test)));
        return new Result(val, test, best, valAccuracy, testAccuracy, vectors, cosine);
    }

    /** A subset condition is tested at the layer chosen for its full vector ("subset-r2:ensemble" -> "ensemble"). */
    private static String baseCondition(String condition) {
        return condition.replaceAll("/subset-r\\d+:", "/");
    }

    /** No-context (once per task and target modality) and in-context prompts (per pair and seed). */
    private static void evaluateFixed(Study study, Evaluator evaluator, PromptEncoder enc, PromptPlanner planner, Dataset dataset,
                                      Split split, List<Prediction> out) {
        Set<Modality> targets = new LinkedHashSet<>();
        for (ModalityPair pair : study.modalityPairs()) targets.add(pair.target());
        for (String task : study.tasks()) {
            for (Modality target : targets) {
                out.addAll(evaluator.generate(queries(enc, planner, dataset, task, split, target), 0, Conditions.noContext(target)));
            }
            for (ModalityPair pair : study.modalityPairs()) {
                for (int seed : study.seeds()) {
                    List<PlannedPrompt> ctx = new ArrayList<>();
                    for (TaskItem item : dataset.items(task, split)) ctx.add(planner.context(task, seed, split, item, pair.source(), pair.target()));
                    out.addAll(evaluator.generate(enc.resolveAll(ctx), seed, Conditions.prompt(pair)));
                }
            }
        }
    }

    /**
     * The vector names patched for a modality pair: image->X gets image-examples; text->X gets
     * text-examples, instruction and ensemble as enabled, each also with the "source:" prefix when
     * a source model (LLM->VLM) is set. Sample-efficiency subsets come on top, test only.
     */
    public static List<String> vectorNames(Study study, ModalityPair pair, boolean hasSource) {
        List<String> names = new ArrayList<>();
        if (pair.source() == Modality.IMAGE) {
            if (study.specifications().imageExamples()) names.add("image-examples");
            return names;
        }
        List<String> prefixes = hasSource ? List.of("", "source:") : List.of("");
        for (String prefix : prefixes) {
            if (study.specifications().textExamples()) names.add(prefix + "text-examples");
            if (study.specifications().instructionsEnabled()) names.add(prefix + "instruction");
            if (study.ensembling().enabled()) names.add(prefix + "ensemble");
        }
        return names;
    }

    /**
     * The patches for one (pair, task, seed): every named vector that exists, in every intervention
     * mode (and alpha for ADD, against the domain's zero-shot mean keyed "domain|modality").
     */
    public static List<Evaluator.Patch> patches(Study study, ModalityPair pair, String task, int seed, Map<VectorKey, LayerVectors> vectors,
                                                 Map<String, LayerVectors> baselines, List<String> names) {
        List<Evaluator.Patch> out = new ArrayList<>();
        for (String name : names) {
            LayerVectors v = vectors.get(new VectorKey(task, seed, name));
            if (v == null) continue;
            for (InterventionMode mode : study.interventions().modes()) {
                if (mode == InterventionMode.REPLACE) {
                    out.add(new Evaluator.Patch(Conditions.patch(pair, name, mode, 1.0), PatchVector.replace(v)));
                } else {
                    LayerVectors base = baselines.get(Domains.of(task) + "|" + pair.target().label());
                    for (double alpha : study.interventions().alphas()) {
                        out.add(new Evaluator.Patch(Conditions.patch(pair, name, mode, alpha), PatchVector.add(v, base, alpha)));
                    }
                }
            }
        }
        return out;
    }

    private static List<LayerVectors> captureExamples(LoadedModel model, PromptEncoder enc, PromptPlanner planner, Dataset dataset,
                                                      String task, int seed, Specification spec) {
        List<PlannedPrompt> prompts = new ArrayList<>();
        for (TaskItem item : dataset.items(task, Split.VAL)) prompts.add(planner.source(task, seed, Split.VAL, item, spec));
        return VectorCapture.atRead(model, enc, enc.resolveAll(prompts));
    }

    private static LayerVectors captureInstruction(LoadedModel model, PromptEncoder enc, PromptPlanner planner, String task, String instruction) {
        return VectorCapture.atRead(model, enc, List.of(enc.resolve(planner.instruction(task, instruction)))).get(0);
    }

    private static List<ResolvedPrompt> queries(PromptEncoder enc, PromptPlanner planner, Dataset dataset, String task, Split split, Modality modality) {
        List<PlannedPrompt> qs = new ArrayList<>();
        for (TaskItem item : dataset.items(task, split)) qs.add(planner.query(task, split, item, modality));
        return enc.resolveAll(qs);
    }
}
