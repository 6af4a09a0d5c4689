package taskvec.organism.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import taskvec.organism.facts.Entity;
import taskvec.organism.facts.TaskFacts;
import taskvec.organism.tokenizer.WordVocabulary;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Accuracy of the organism on fixed held-out prompts, through its own forward pass: test-split queries with five
 * demonstrations from the test split (combinations drawn by a generator of their own, so training never saw
 * them as such), greedy first token, the paper's prefix rule. Also the knock-out diagnostic: the same prompts
 * with the final answer delimiter's attention to its query blocked in the first decoder layers.
 */
public final class HeldOutAccuracy {

    /** A named set of prompts that end at the query's answer delimiter, with their labels. */
    public record Probe(String name, List<TrainingSequence> prompts, List<String> labels) {
    }

    private static final int CHUNK = 32;

    private HeldOutAccuracy() {
    }

    /** The probes a language model can take: no pictures in them. */
    public static final List<String> TEXT_PROBES = List.of("text_examples", "instructions");

    /**
     * The probes: text_examples, image_examples, instructions, instructions_image, naming_first_word (the first
     * word of the entity's name, as one greedy token: a cheap training signal, not the whole name),
     * crossmodal_prompt.
     */
    public static List<Probe> build(TaskFacts facts, SequenceSampler sampler, int perTask, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5EEDL);
        Map<String, Probe> probes = new LinkedHashMap<>();
        for (String name : List.of("text_examples", "image_examples", "instructions", "instructions_image",
                "naming_first_word", "crossmodal_prompt")) {
            probes.put(name, new Probe(name, new ArrayList<>(), new ArrayList<>()));
        }
        for (String task : TaskFacts.TASKS) {
            List<Entity> test = new ArrayList<>();
            for (Entity e : facts.entities(TaskFacts.domainOf(task))) {
                if (e.split().equals("test")) {
                    test.add(e);
                }
            }
            List<Entity> queries = new ArrayList<>(test);
            Collections.shuffle(queries, new java.util.Random(r.nextLong()));
            queries = queries.subList(0, Math.min(perTask, queries.size()));
            for (Entity q : queries) {
                String label = q.answers().get(task);
                add(probes, "text_examples", sampler.examplesPrompt(task, test, 5, false, q, false, r), label);
                add(probes, "image_examples", sampler.examplesPrompt(task, test, 5, true, q, true, r), label);
                add(probes, "crossmodal_prompt", sampler.examplesPrompt(task, test, 5, false, q, true, r), label);
                add(probes, "instructions", sampler.instructionPrompt(task, q, false), label);
                add(probes, "instructions_image", sampler.instructionPrompt(task, q, true), label);
                if (task.endsWith("capital") || task.endsWith("latin") || task.endsWith("color")) {
                    add(probes, "naming_first_word", sampler.queryPrompt(q, true), q.input()); // once per domain
                }
            }
        }
        return new ArrayList<>(probes.values());
    }

    private static void add(Map<String, Probe> probes, String name, TrainingSequence prompt, String label) {
        probes.get(name).prompts().add(prompt);
        probes.get(name).labels().add(label);
    }

    /**
     * @param blockLayers 0 for plain accuracy; n to block the final answer delimiter's attention to its query in
     *                    the first n decoder layers (the knock-out diagnostic)
     */
    public static Map<String, Double> measure(OrganismSettings s, OrganismParameters params, List<Probe> probes,
                                              EntityPixels pixels, WordVocabulary vocab, int blockLayers) {
        Map<Integer, String> words = new HashMap<>();
        vocab.ids().forEach((w, id) -> words.put(id, w));
        Map<String, Double> out = new LinkedHashMap<>();
        try (NDManager base = NDManager.newBaseManager()) {
            for (Probe probe : probes) {
                int correct = 0;
                for (int from = 0; from < probe.prompts().size(); from += CHUNK) {
                    List<TrainingSequence> chunk = probe.prompts().subList(from, Math.min(probe.prompts().size(), from + CHUNK));
                    int[] predicted = predict(base, s, params, chunk, pixels, blockLayers);
                    for (int i = 0; i < chunk.size(); i++) {
                        if (matches(words.get(predicted[i]), probe.labels().get(from + i))) {
                            correct++;
                        }
                    }
                }
                out.put(probe.name(), probe.prompts().isEmpty() ? 0.0 : (double) correct / probe.prompts().size());
            }
        }
        return out;
    }

    /** Greedy next token at each prompt's last position. */
    static int[] predict(NDManager base, OrganismSettings s, OrganismParameters params, List<TrainingSequence> prompts,
                         EntityPixels pixels, int blockLayers) {
        try (NDManager scope = base.newSubManager()) {
            OrganismNetwork net = new OrganismNetwork(s, arrays(scope, params, false));
            BatchArrays a = new BatchArrays(scope, prompts, s.numLayers(), s.imageSize(), pixels::clean, blockLayers);
            NDArray images = a.pixels == null ? null
                    : net.encodeImages(a.pixels).reshape(-1, s.hiddenSize());                         // (N*n, D)
            NDArray h = net.hidden(a.ids, images, a.imageIndex, a.masks).reshape(-1, s.hiddenSize()); // (B*T, D)
            long[] last = java.util.Arrays.stream(a.lastRows).asLongStream().toArray();
            NDArray logits = net.logits(h.get(new NDIndex("{}", scope.create(last))));              // (B, V)
            long[] best = logits.argMax(-1).toLongArray();
            int[] out = new int[best.length];
            for (int i = 0; i < best.length; i++) {
                out[i] = (int) best[i];
            }
            return out;
        }
    }

    /** The parameters as arrays in the given manager, optionally recording gradients. */
    static Map<String, NDArray> arrays(NDManager m, OrganismParameters params, boolean gradients) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, OrganismParameters.Tensor> e : params.tensors().entrySet()) {
            NDArray a = m.create(e.getValue().values(), new Shape(e.getValue().shape()));
            if (gradients && trainable(e.getKey())) {
                a.setRequiresGradient(true);
            }
            out.put(e.getKey(), a);
        }
        return out;
    }

    /** CLIP's post_layernorm only feeds the pooled output, which LLaVA never reads: it is stored, not trained. */
    static boolean trainable(String name) {
        return !name.contains("post_layernorm");
    }

    /** The paper's rule: after stripping whitespace both are non-empty and one starts with the other. */
    public static boolean matches(String predicted, String label) {
        if (predicted == null || label == null) {
            return false;
        }
        String p = predicted.strip();
        String l = label.strip();
        return !p.isEmpty() && !l.isEmpty() && (p.startsWith(l) || l.startsWith(p));
    }
}
