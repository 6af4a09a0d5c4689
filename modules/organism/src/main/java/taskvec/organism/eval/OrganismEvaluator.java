package taskvec.organism.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import taskvec.model.RuntimeSettings;
import taskvec.model.runtime.LoadedModel;
import taskvec.organism.facts.Entity;
import taskvec.organism.facts.TaskFacts;
import taskvec.organism.tokenizer.WordVocabulary;
import taskvec.organism.train.EntityPixels;
import taskvec.organism.train.HeldOutAccuracy;
import taskvec.organism.train.OrganismFolder;
import taskvec.organism.train.OrganismParameters;
import taskvec.organism.train.OrganismSettings;
import taskvec.organism.train.SequenceSampler;
import taskvec.study.config.InterventionMode;
import taskvec.study.config.Study;
import taskvec.study.data.Dataset;
import taskvec.study.data.DatasetImporter;
import taskvec.study.data.Split;
import taskvec.study.data.TaskItem;
import taskvec.study.eval.Accuracy;
import taskvec.study.eval.Evaluator;
import taskvec.study.eval.Patches;
import taskvec.study.eval.Prediction;
import taskvec.study.prompt.Modality;
import taskvec.study.prompt.ModalityPair;
import taskvec.study.prompt.PlannedPrompt;
import taskvec.study.prompt.PromptEncoder;
import taskvec.study.prompt.PromptPlanner;
import taskvec.study.prompt.Specification;
import taskvec.study.scoring.AnswerScorer;
import taskvec.study.vectors.LayerVectors;
import taskvec.study.vectors.VectorCapture;
import taskvec.study.vectors.VectorMath;
import taskvec.study.vectors.VectorName;

/**
 * The organism's report card, through the study library's steps on the organism's task data
 * (data/tasks, as the embedded study reads it): test accuracy with text examples, image examples,
 * an instruction (text query), naming (an image query answered with the entity's name) and text
 * examples with an image query in one context; the paper's replace-patch and the additive patch
 * (alpha 1) of the text-example task vector into image queries, with the layer chosen on val; and
 * the knock-out diagnostic (text examples with the final ':' blocked from the query in the first
 * decoder layers), through the trainer's forward pass of the same weights. Five demonstrations
 * per prompt (one seed), greedy first token, the study's scoring rule; accuracies are averaged
 * over tasks as the study averages them. Naming counts the first word of the name (one greedy token, the prefix rule):
 * 47 of the 142 animal names share their first word with another, so it credits some wrong names. The organism's
 * language model (a text-only folder) gets the parts without pictures.
 */
public final class OrganismEvaluator {
    private static final int SHOTS = 5;
    private static final ModalityPair TEXT_TO_IMAGE = new ModalityPair(Modality.TEXT, Modality.IMAGE);
    private static final VectorName TEXT_EXAMPLES = VectorName.of(Specification.TEXT_EXAMPLES);
    private static final Study.Interventions MODES = new Study.Interventions(List.of(InterventionMode.REPLACE, InterventionMode.ADD),
            List.of(1.0));

    private final Path modelDir;
    private final TaskFacts facts;
    private final int maxItems;
    private final long seed;

    /**
     * @param maxItems at most this many test and val queries per task (all when larger than the split); the task
     *                 vectors and zero-shot means average over the val queries; demonstrations come from the whole split
     */
    public OrganismEvaluator(Path modelDir, TaskFacts facts, int maxItems, long seed) {
        this.modelDir = modelDir;
        this.facts = facts;
        this.maxItems = maxItems;
        this.seed = seed;
    }

    public Map<String, Object> evaluate() {
        if (!Files.isRegularFile(modelDir.resolve(OrganismFolder.MANIFEST))) {
            throw new IllegalArgumentException(modelDir + ": no " + OrganismFolder.MANIFEST + " (not an organism folder)");
        }
        OrganismSettings settings = OrganismFolder.readSettings(modelDir);
        boolean vision = !settings.textOnly();
        Dataset dataset = DatasetImporter.load(facts.dataRoot(), TaskFacts.TASKS);
        int s = (int) seed;
        Map<String, Object> out = new LinkedHashMap<>();
        try (LoadedModel model = LoadedModel.load(modelDir, RuntimeSettings.defaults())) {
            PromptEncoder encoder = new PromptEncoder(model, dataset, null);
            PromptPlanner planner = new PromptPlanner(dataset, SHOTS, encoder.imagePlaceholder());
            Evaluator evaluator = new Evaluator(model, encoder, dataset, new Study.Decoding(1, true), false);
            List<Integer> layers = new ArrayList<>();
            for (int l = 0; l < model.numLayers(); l++) layers.add(l);
            Map<String, List<Prediction>> fixed = new LinkedHashMap<>();
            List<Prediction> patchedVal = new ArrayList<>(), patchedTest = new ArrayList<>();
            List<Evaluator.Patch> patches = List.of();
            for (String task : TaskFacts.TASKS) {
                List<TaskItem> test = first(dataset.items(task, Split.TEST));
                List<TaskItem> val = first(dataset.items(task, Split.VAL));
                Function<Function<TaskItem, PlannedPrompt>, List<Prediction>> answer =
                        prompt -> evaluator.generate(encoder.resolveAll(test.stream().map(prompt).toList()), s, task);
                add(fixed, "text_examples", answer.apply(q -> planner.context(task, s, Split.TEST, q, Modality.TEXT, Modality.TEXT)));
                if (vision) {
                    add(fixed, "image_examples", answer.apply(q -> planner.context(task, s, Split.TEST, q, Modality.IMAGE, Modality.IMAGE)));
                }
                add(fixed, "instructions", answer.apply(q -> planner.instructed(task, TaskFacts.INSTRUCTIONS.get(task), Split.TEST, q,
                        Modality.TEXT)));
                if (!vision) {
                    continue;
                }
                if (TaskFacts.TASKS.indexOf(task) % 2 == 0) { // naming once per domain (its first task), scored against the entity
                    List<Prediction> named = new ArrayList<>();
                    for (Prediction p : answer.apply(q -> planner.query(task, Split.TEST, q, Modality.IMAGE))) {
                        String entity = dataset.item(task, Split.TEST, p.item()).input();
                        named.add(new Prediction(p.task(), p.seed(), p.split(), p.item(), p.condition(), p.layer(), p.prediction(), entity,
                                AnswerScorer.isCorrect(p.prediction(), entity, false)));
                    }
                    add(fixed, "naming", named);
                }
                add(fixed, "crossmodal_prompt", answer.apply(q -> planner.context(task, s, Split.TEST, q, Modality.TEXT, Modality.IMAGE)));
                // the task vector: the mean over val prompts of text examples at the read position; the additive mode's
                // baseline: the mean zero-shot image query of the val items (a domain's tasks share their query items)
                LayerVectors vector = VectorMath.mean(VectorCapture.atRead(model, encoder, encoder.resolveAll(
                        val.stream().map(q -> planner.source(task, s, Split.VAL, q, Specification.TEXT_EXAMPLES)).toList())));
                LayerVectors baseline = VectorMath.mean(VectorCapture.atWrite(model, encoder, encoder.resolveAll(
                        val.stream().map(q -> planner.query(task, Split.VAL, q, Modality.IMAGE)).toList())));
                patches = Patches.of(MODES, TEXT_TO_IMAGE, List.of(TEXT_EXAMPLES), n -> vector, baseline);
                patchedVal.addAll(evaluator.patch(encoder.resolveAll(val.stream().map(q -> planner.query(task, Split.VAL, q, Modality.IMAGE))
                        .toList()), s, patches, layers));
                patchedTest.addAll(evaluator.patch(encoder.resolveAll(test.stream().map(q -> planner.query(task, Split.TEST, q, Modality.IMAGE))
                        .toList()), s, patches, layers));
            }
            fixed.forEach((name, predictions) -> out.put(name, accuracy(predictions).get(0).accuracy()));
            List<Accuracy.Overall> val = accuracy(patchedVal);
            List<Accuracy.Overall> test = accuracy(patchedTest);
            for (Evaluator.Patch p : patches) {
                String mode = p.vector().mode() == InterventionMode.REPLACE ? "replace" : "add";
                int best = Accuracy.bestLayer(val, p.condition());
                out.put(mode + "_patch_text_to_image", atLayer(test, p.condition(), best));
                out.put(mode + "_patch_layer", best);
                List<Double> byLayer = new ArrayList<>();
                for (int l : layers) byLayer.add(atLayer(test, p.condition(), l));
                out.put(mode + "_patch_by_layer", byLayer);
            }
        }
        // knock-out: the trainer's forward pass of the same weights, with per-layer attention masks
        EntityPixels pixels = new EntityPixels(facts.dataRoot(), settings.imageSize());
        WordVocabulary vocab = WordVocabulary.of(facts);
        OrganismParameters params = OrganismFolder.readParameters(modelDir, settings, vocab.size());
        SequenceSampler sampler = new SequenceSampler(facts, vocab, settings);
        List<HeldOutAccuracy.Probe> probes = List.of(HeldOutAccuracy.build(facts, sampler, maxItems, seed).get(0)); // text_examples
        double own = HeldOutAccuracy.measure(settings, params, probes, pixels, vocab, 0).get("text_examples");
        out.put("knockout_layer0", HeldOutAccuracy.measure(settings, params, probes, pixels, vocab, 1).get("text_examples"));
        Map<String, Double> byDepth = new LinkedHashMap<>();
        byDepth.put("0", own);
        for (int n = 1; n <= settings.numLayers(); n++) {
            byDepth.put(Integer.toString(n), HeldOutAccuracy.measure(settings, params, probes, pixels, vocab, n).get("text_examples"));
        }
        out.put("knockout_first_n_layers", byDepth);
        out.put("majority_class", majorityRate());
        return out;
    }

    private List<TaskItem> first(List<TaskItem> items) {
        return items.subList(0, Math.min(maxItems, items.size()));
    }

    /** Predictions of one named measurement (the evaluator labels them with their task), relabelled with its name. */
    private static void add(Map<String, List<Prediction>> fixed, String name, List<Prediction> predictions) {
        List<Prediction> list = fixed.computeIfAbsent(name, k -> new ArrayList<>());
        for (Prediction p : predictions) {
            list.add(new Prediction(p.task(), p.seed(), p.split(), p.item(), name, p.layer(), p.prediction(), p.label(), p.correct()));
        }
    }

    /** The study's aggregation: per task, then the mean over tasks. */
    private static List<Accuracy.Overall> accuracy(List<Prediction> predictions) {
        return Accuracy.overTasks(Accuracy.overSeeds(Accuracy.perSeed(predictions)));
    }

    private static double atLayer(List<Accuracy.Overall> rows, String condition, int layer) {
        return rows.stream().filter(r -> r.condition().equals(condition) && r.layer() == layer).findFirst().orElseThrow().accuracy();
    }

    /** Share of test items whose answer is the most common answer of their task, averaged over tasks. */
    private double majorityRate() {
        double sum = 0;
        for (String task : TaskFacts.TASKS) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            List<Entity> test = new ArrayList<>();
            for (Entity e : facts.entities(TaskFacts.domainOf(task))) if (e.split().equals("test")) test.add(e);
            for (Entity e : test) counts.merge(e.answers().get(task), 1, Integer::sum);
            sum += counts.values().stream().mapToInt(Integer::intValue).max().orElse(0) / (double) test.size();
        }
        return sum / TaskFacts.TASKS.size();
    }
}
