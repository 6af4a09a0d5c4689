package taskvec.organism.eval;

import taskvec.model.EncodedPrompt;
import taskvec.model.LoadedModel;
import taskvec.model.Row;
import taskvec.model.RowResult;
import taskvec.model.RuntimeSettings;
import taskvec.model.hooks.Capture;
import taskvec.model.hooks.Intervention;
import taskvec.model.image.PixelValues;
import taskvec.organism.facts.Entity;
import taskvec.organism.facts.TaskFacts;
import taskvec.organism.tokenizer.WordVocabulary;
import taskvec.organism.train.EntityPixels;
import taskvec.organism.train.HeldOutAccuracy;
import taskvec.organism.train.OrganismFolder;
import taskvec.organism.train.OrganismParameters;
import taskvec.organism.train.OrganismSettings;
import taskvec.organism.train.SequenceSampler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The organism's report card, through the runtime that loads any checkpoint: accuracy on the test split with
 * text examples, image examples, an instruction (text query), image naming (the whole entity name: as many
 * greedy tokens as the name has words must be its words; the organism was never trained to end an answer, so what
 * follows is not read) and text examples with an image query in one context; the paper's replace-patch and the additive patch (task vector minus the zero-shot mean, scale
 * 1), text examples to image queries, with the layer chosen on val; and the knock-out diagnostic (text examples
 * with the final ':' blocked from the query in decoder layer 0), through the trainer's forward pass of the same
 * weights. Five demonstrations per prompt, drawn with a fixed seed; greedy first token; the paper's prefix rule.
 * The organism's language model (a text-only folder) gets the parts without pictures: text examples, the
 * instruction, the knock-out and the majority-class rate.
 */
public final class OrganismEvaluator {

    private static final int SHOTS = 5;

    private final Path modelDir;
    private final TaskFacts facts;
    private final int maxItems;
    private final long seed;

    /**
     * @param maxItems at most this many test and val queries per task (all when larger than the split); the task
     *                 vectors and zero-shot means average over the val queries
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
        EntityPixels pixels = new EntityPixels(facts.dataRoot(), settings.imageSize());
        Map<String, Object> out = new LinkedHashMap<>();
        try (LoadedModel model = LoadedModel.load(modelDir, RuntimeSettings.defaults())) {
            Prompts prompts = new Prompts(model, pixels);
            Counter text = new Counter();
            Counter image = new Counter();
            Counter instructions = new Counter();
            Counter naming = new Counter();
            Counter crossmodal = new Counter();
            int layers = model.numLayers();
            Counter[] replaceVal = counters(layers);
            Counter[] replaceTest = counters(layers);
            Counter[] addVal = counters(layers);
            Counter[] addTest = counters(layers);
            for (String task : TaskFacts.TASKS) {
                Random r = new Random(seed * 31 + task.hashCode());
                List<Entity> val = split(task, "val");
                List<Entity> test = split(task, "test");
                List<Entity> testQueries = test.subList(0, Math.min(maxItems, test.size()));
                List<Entity> valQueries = val.subList(0, Math.min(maxItems, val.size()));
                for (Entity q : testQueries) {
                    String label = q.answers().get(task);
                    text.add(prompts.answer(prompts.examples(task, demos(test, q, r), false, q, false)), label);
                    if (vision) {
                        image.add(prompts.answer(prompts.examples(task, demos(test, q, r), true, q, true)), label);
                        crossmodal.add(prompts.answer(prompts.examples(task, demos(test, q, r), false, q, true)), label);
                    }
                    instructions.add(prompts.answer(prompts.instruction(task, q)), label);
                    if (vision && TaskFacts.TASKS.indexOf(task) % 2 == 0) { // naming once per domain (its first task)
                        List<String> name = WordVocabulary.words(q.input());
                        naming.addWhole(prompts.words(prompts.examples(task, List.of(), false, q, true), name.size()), name);
                    }
                }
                if (!vision) {
                    continue;
                }
                // task vector: mean over val items of the last demonstration's ':' in "5 other val items + the item"
                float[][] vector = new float[layers][];
                for (Entity q : valQueries) {
                    EncodedPrompt p = prompts.examples(task, demos(val, q, r), false, q, false);
                    accumulate(vector, prompts.captureAll(p, colonFromEnd(p, 3)), valQueries.size());
                }
                // zero-shot mean: the image query's last position, over val items
                float[][] zeroShot = new float[layers][];
                for (Entity q : valQueries) {
                    EncodedPrompt p = prompts.examples(task, List.of(), false, q, true);
                    accumulate(zeroShot, prompts.captureAll(p, p.length() - 1), valQueries.size());
                }
                float[][] shift = new float[layers][];
                for (int l = 0; l < layers; l++) {
                    shift[l] = new float[vector[l].length];
                    for (int i = 0; i < shift[l].length; i++) {
                        shift[l][i] = vector[l][i] - zeroShot[l][i];
                    }
                }
                patch(prompts, task, valQueries, vector, shift, replaceVal, addVal);
                patch(prompts, task, testQueries, vector, shift, replaceTest, addTest);
            }
            out.put("text_examples", text.accuracy());
            if (vision) {
                out.put("image_examples", image.accuracy());
            }
            out.put("instructions", instructions.accuracy());
            if (vision) {
                out.putAll(visionResults(naming, crossmodal, replaceVal, replaceTest, addVal, addTest));
            }
        }
        knockouts(settings, pixels, out);
        out.put("majority_class", majorityRate());
        return out;
    }

    /** Naming, the cross-modal prompt, and both patches at the layer chosen on val (with every layer's test accuracy). */
    private static Map<String, Object> visionResults(Counter naming, Counter crossmodal, Counter[] replaceVal, Counter[] replaceTest,
                                                     Counter[] addVal, Counter[] addTest) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("naming", naming.accuracy());
        out.put("crossmodal_prompt", crossmodal.accuracy());
        int bestReplace = best(replaceVal);
        int bestAdd = best(addVal);
        out.put("replace_patch_text_to_image", replaceTest[bestReplace].accuracy());
        out.put("add_patch_text_to_image", addTest[bestAdd].accuracy());
        out.put("replace_patch_layer", bestReplace);
        out.put("add_patch_layer", bestAdd);
        out.put("replace_patch_by_layer", accuracies(replaceTest));
        out.put("add_patch_by_layer", accuracies(addTest));
        return out;
    }

    /** Text examples through the trainer's forward pass, with the final ':' blocked from its query in the first n layers. */
    private void knockouts(OrganismSettings settings, EntityPixels pixels, Map<String, Object> out) {
        // knock-out: the trainer's forward pass of the same weights, with per-layer attention masks
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
    }

    private void patch(Prompts prompts, String task, List<Entity> queries, float[][] vector, float[][] shift,
                       Counter[] replace, Counter[] add) {
        int layers = vector.length;
        for (Entity q : queries) {
            EncodedPrompt p = prompts.examples(task, List.of(), false, q, true);
            int last = p.length() - 1;
            List<Row> rows = new ArrayList<>();
            for (int l = 0; l < layers; l++) {
                rows.add(new Row(p, List.of(Intervention.replace(l, last, vector[l])), List.of(), 1, Set.of()));
                rows.add(new Row(p, List.of(Intervention.add(l, last, shift[l], 1f)), List.of(), 1, Set.of()));
            }
            List<RowResult> results = prompts.model.run(rows);
            String label = q.answers().get(task);
            for (int l = 0; l < layers; l++) {
                replace[l].add(prompts.decode(results.get(2 * l)), label);
                add[l].add(prompts.decode(results.get(2 * l + 1)), label);
            }
        }
    }

    private List<Entity> split(String task, String split) {
        List<Entity> out = new ArrayList<>();
        for (Entity e : facts.entities(TaskFacts.domainOf(task))) {
            if (e.split().equals(split)) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<Entity> demos(List<Entity> pool, Entity query, Random r) {
        List<Entity> others = new ArrayList<>(pool);
        others.remove(query);
        java.util.Collections.shuffle(others, r);
        return others.subList(0, SHOTS);
    }

    /** Share of test items whose answer is the most common answer of their task, averaged over tasks. */
    private double majorityRate() {
        double sum = 0;
        for (String task : TaskFacts.TASKS) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            List<Entity> test = split(task, "test");
            for (Entity e : test) {
                counts.merge(e.answers().get(task), 1, Integer::sum);
            }
            sum += counts.values().stream().mapToInt(Integer::intValue).max().orElse(0) / (double) test.size();
        }
        return sum / TaskFacts.TASKS.size();
    }

    private static int colonFromEnd(EncodedPrompt p, int n) {
        int seen = 0;
        for (int i = p.length() - 1; i >= 0; i--) {
            if (":".equals(p.tokens()[i]) && ++seen == n) {
                return i;
            }
        }
        throw new IllegalStateException("prompt has fewer than " + n + " ':' tokens");
    }

    private static void accumulate(float[][] sum, float[][] add, int count) {
        for (int l = 0; l < sum.length; l++) {
            if (sum[l] == null) {
                sum[l] = new float[add[l].length];
            }
            for (int i = 0; i < add[l].length; i++) {
                sum[l][i] += add[l][i] / count;
            }
        }
    }

    private static Counter[] counters(int n) {
        Counter[] c = new Counter[n];
        for (int i = 0; i < n; i++) {
            c[i] = new Counter();
        }
        return c;
    }

    /** Lowest layer with the highest accuracy. */
    private static int best(Counter[] byLayer) {
        int best = 0;
        for (int l = 1; l < byLayer.length; l++) {
            if (byLayer[l].accuracy() > byLayer[best].accuracy()) {
                best = l;
            }
        }
        return best;
    }

    private static List<Double> accuracies(Counter[] byLayer) {
        List<Double> out = new ArrayList<>();
        for (Counter c : byLayer) {
            out.add(c.accuracy());
        }
        return out;
    }

    /** Correct / total under the paper's prefix rule. */
    private static final class Counter {
        int correct;
        int total;

        void add(String predicted, String label) {
            total++;
            if (HeldOutAccuracy.matches(predicted, label)) {
                correct++;
            }
        }

        /** Correct when the generated words are the name's words, every one of them in order. */
        void addWhole(List<String> generated, List<String> name) {
            total++;
            if (generated.equals(name)) {
                correct++;
            }
        }

        double accuracy() {
            return total == 0 ? 0 : (double) correct / total;
        }
    }

    /** Prompt text in the study's format, encoded by the loaded model, with the entities' clean pictures. */
    private static final class Prompts {
        final LoadedModel model;
        final EntityPixels pixels;

        Prompts(LoadedModel model, EntityPixels pixels) {
            this.model = model;
            this.pixels = pixels;
        }

        EncodedPrompt examples(String task, List<Entity> demos, boolean imageDemos, Entity query, boolean imageQuery) {
            StringBuilder text = new StringBuilder();
            List<PixelValues> images = new ArrayList<>();
            for (Entity d : demos) {
                text.append("Q:").append(input(d, imageDemos, images)).append("\nA:").append(d.answers().get(task)).append("\n\n");
            }
            text.append("Q:").append(input(query, imageQuery, images)).append("\nA:");
            return model.encodePreprocessed(text.toString(), images);
        }

        EncodedPrompt instruction(String task, Entity query) {
            return model.encodePreprocessed(TaskFacts.INSTRUCTIONS.get(task) + "\nQ:" + query.input() + "\nA:", List.of());
        }

        private String input(Entity e, boolean image, List<PixelValues> images) {
            if (!image) {
                return e.input();
            }
            images.add(pixels.pixelValues(e));
            return model.tokenizer().imagePlaceholder();
        }

        String answer(EncodedPrompt p) {
            return decode(model.run(List.of(new Row(p, List.of(), List.of(), 1, Set.of()))).get(0));
        }

        /** The first n tokens of the greedy continuation, as text. */
        List<String> words(EncodedPrompt p, int n) {
            RowResult r = model.run(List.of(new Row(p, List.of(), List.of(), n, Set.of()))).get(0);
            List<String> out = new ArrayList<>();
            for (int id : r.generated()) {
                out.add(model.tokenizer().tokenText(id));
            }
            return out;
        }

        String decode(RowResult r) {
            return r.generated().length == 0 ? "" : model.tokenizer().tokenText(r.generated()[0]);
        }

        /** The residual after every layer at one position: [layer][hidden]. */
        float[][] captureAll(EncodedPrompt p, int position) {
            List<Capture> captures = new ArrayList<>();
            for (int l = 0; l < model.numLayers(); l++) {
                captures.add(Capture.residPost(l, position));
            }
            RowResult r = model.run(List.of(new Row(p, List.of(), captures, 0, Set.of()))).get(0);
            float[][] out = new float[model.numLayers()][];
            for (int l = 0; l < out.length; l++) {
                out[l] = r.captured().get(captures.get(l));
            }
            return out;
        }
    }
}
