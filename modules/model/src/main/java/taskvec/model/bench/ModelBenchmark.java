package taskvec.model.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import taskvec.model.EncodedPrompt;
import taskvec.model.Row;
import taskvec.model.generate.PromptBatching;
import taskvec.model.hooks.Capture;
import taskvec.model.hooks.Intervention;
import taskvec.model.runtime.LoadedModel;

/**
 * Times the runtime on one model: a forward pass, cached greedy decoding, and a full layer sweep
 * (every layer patched once at the last position of the prompt) against one unpatched forward of
 * the same prompt. Compare the ratios, not the seconds: the machines are noisy. {@code sweepRatio} is the
 * median over repeats of (batched sweep time / unpatched forward time), the target being at most 1.5;
 * {@code oneByOneRatio} the same for one full forward per patched layer, as the reference code does.
 */
public final class ModelBenchmark {

    /** What one benchmark measured; times are medians over the repeats, in seconds. */
    public record Result(String model, int promptTokens, int layers, double forwardSeconds, double decodeSeconds,
                         int decodeTokens, double sweepSeconds, double sweepOneByOneSeconds, double sweepRatio,
                         double oneByOneRatio) {
        public double forwardTokensPerSecond() {
            return promptTokens / forwardSeconds;
        }

        public double decodeTokensPerSecond() {
            return decodeTokens / decodeSeconds;
        }

    }

    private final int repeats;

    public ModelBenchmark(int repeats) {
        this.repeats = repeats;
    }

    public Result run(String label, LoadedModel model, int promptTokens, int decodeTokens) {
        EncodedPrompt prompt = randomTextPrompt(model, promptTokens);
        int layers = model.numLayers();
        int last = promptTokens - 1;
        float[] vector = new float[model.hiddenSize()];
        new SplittableRandom(7).doubles(vector.length).forEach(new java.util.function.DoubleConsumer() {
            int i;
            public void accept(double d) { vector[i++] = (float) (d - 0.5); }
        });
        List<Row> forward = List.of(Row.of(prompt, List.of(), List.of()));
        List<Row> decode = List.of(new Row(prompt, List.of(), List.of(), decodeTokens, Set.of()));
        List<Row> sweep = new ArrayList<>();
        for (int l = 0; l < layers; l++) sweep.add(Row.of(prompt, List.of(Intervention.replace(l, last, vector)), List.of()));

        Runnable[] work = {
            () -> model.run(forward),
            () -> model.run(decode),
            () -> model.run(sweep),
            () -> sweep.forEach(row -> model.run(List.of(row))),
        };
        for (Runnable w : work) w.run(); // warm-up: JIT, allocator, libtorch kernels
        // Interleaved repeats: a burst of load from other processes hits every measurement alike,
        // so the per-repeat ratios stay meaningful on a noisy machine.
        double[][] seconds = new double[work.length][repeats];
        for (int r = 0; r < repeats; r++) {
            for (int k = 0; k < work.length; k++) {
                long start = System.nanoTime();
                work[k].run();
                seconds[k][r] = (System.nanoTime() - start) / 1e9;
            }
        }
        double forwardS = median(seconds[0]);
        // Decoding time = generation minus the prompt's own forward, per repeat.
        double[] decodeS = new double[repeats];
        for (int r = 0; r < repeats; r++) decodeS[r] = seconds[1][r] - seconds[0][r];
        return new Result(label, promptTokens, layers, forwardS, median(decodeS), decodeTokens,
                median(seconds[2]), median(seconds[3]), medianRatio(seconds[2], seconds[0]),
                medianRatio(seconds[3], seconds[0]));
    }

    /** Distinct prompts per second at batch size 1 and at the batch size the model chose for them. */
    public record PromptsResult(String model, int prompts, int minTokens, int maxTokens, int batchSize,
                                double batchOneSeconds, double batchedSeconds) {
        public double batchOnePerSecond() {
            return prompts / batchOneSeconds;
        }

        public double batchedPerSecond() {
            return prompts / batchedSeconds;
        }
    }

    /**
     * {@code count} distinct text prompts of {@code minTokens}..{@code maxTokens} tokens, each read at its last
     * position in every layer (what the capture stage asks), run at batch size 1 and in padded batches of the size
     * {@link PromptBatching} chooses (or the environment sets), interleaved.
     */
    public PromptsResult prompts(String label, LoadedModel model, int count, int minTokens, int maxTokens) {
        List<Row> rows = new ArrayList<>();
        SplittableRandom lengths = new SplittableRandom(3);
        for (int i = 0; i < count; i++) {
            EncodedPrompt p = randomTextPrompt(model, minTokens + lengths.nextInt(maxTokens - minTokens + 1), 100 + i);
            List<Capture> captures = new ArrayList<>();
            for (int l = 0; l < model.numLayers(); l++) captures.add(Capture.residPost(l, p.length() - 1));
            rows.add(Row.of(p, List.of(), captures));
        }
        PromptBatching chosen = PromptBatching.fromEnvironment();
        model.batching(chosen);
        int batchSize = Math.min(count, model.promptsPerBatch(maxTokens));
        PromptBatching[] settings = {PromptBatching.ONE, chosen};
        double[][] seconds = new double[2][repeats];
        for (PromptBatching b : settings) { // warm-up
            model.batching(b);
            model.run(rows);
        }
        for (int r = 0; r < repeats; r++) {
            for (int k = 0; k < 2; k++) {
                model.batching(settings[k]);
                long start = System.nanoTime();
                model.run(rows);
                seconds[k][r] = (System.nanoTime() - start) / 1e9;
            }
        }
        model.batching(chosen);
        return new PromptsResult(label, count, minTokens, maxTokens, batchSize, median(seconds[0]), median(seconds[1]));
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }

    private static double medianRatio(double[] num, double[] den) {
        double[] r = new double[num.length];
        for (int i = 0; i < r.length; i++) r[i] = num[i] / den[i];
        return median(r);
    }

    /** A text prompt of n ordinary tokens (no special or image tokens), the same for every run. */
    static EncodedPrompt randomTextPrompt(LoadedModel model, int n) {
        return randomTextPrompt(model, n, 42);
    }

    /** As above, one prompt per seed. */
    static EncodedPrompt randomTextPrompt(LoadedModel model, int n, long seed) {
        int vocab = model.info().vocabSize();
        int imageId = model.info().imageTokenId();
        SplittableRandom random = new SplittableRandom(seed);
        int[] ids = new int[n];
        String[] tokens = new String[n];
        for (int i = 0; i < n; i++) {
            int id;
            do {
                id = 3 + random.nextInt(vocab - 3);
            } while (id == imageId);
            ids[i] = id;
            tokens[i] = model.tokenizer().tokenText(id);
        }
        return new EncodedPrompt(ids, tokens, List.of());
    }
}
