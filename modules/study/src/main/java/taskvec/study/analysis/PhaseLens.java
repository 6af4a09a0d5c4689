package taskvec.study.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import taskvec.model.LensResult;
import taskvec.model.PromptTokenizer;

/**
 * The three phases: the logit lens at the last prompt token of every layer, the probability of
 * the input token, the task word and the answer averaged over prompts, and the tokens the lens
 * decodes most often per layer (the paper's "task phase" tables).
 */
public final class PhaseLens {
    private PhaseLens() {}

    /** The default task word per task (the paper's: capital, currency, species, baby, color, flavor). */
    public static final Map<String, String> DEFAULT_TASK_WORDS = taskvec.study.config.AnalysisSettings.DEFAULT_TASK_WORDS;

    /**
     * The id of the first token a word starts with when it follows the prompt's delimiter, as
     * the model would produce it: the word's ids after the BOS the tokenizer may add. A word that
     * encodes to nothing is an IllegalArgumentException naming it.
     */
    public static int firstTokenId(PromptTokenizer tokenizer, String word) {
        PromptTokenizer.Encoding bare = tokenizer.encode("");
        PromptTokenizer.Encoding enc = tokenizer.encode(word);
        int skip = bare.ids().length; // the BOS, if the tokenizer adds one
        if (enc.ids().length <= skip) throw new IllegalArgumentException("the word '" + word + "' encodes to no token");
        return enc.ids()[skip];
    }

    /**
     * The id of the first token the tokenizer gives {@code word} when it follows {@code prompt}
     * (so "A:" + "Athens" yields what the model would write after the delimiter, not a
     * word-initial variant): the first id where the encodings of prompt and prompt + word differ.
     */
    public static int continuationId(PromptTokenizer tokenizer, String prompt, String word) {
        int[] a = tokenizer.encode(prompt).ids();
        int[] b = tokenizer.encode(prompt + word).ids();
        int i = 0;
        while (i < a.length && i < b.length && a[i] == b[i]) i++;
        if (i >= b.length) throw new IllegalArgumentException("'" + word + "' adds no token after the prompt");
        return b[i];
    }

    /**
     * Runs the lens over every prompt and layer. {@code tokenText} names ids for the top-token
     * table (e.g. {@code tokenizer::tokenText}).
     */
    public static PhaseResult analyze(Lens lens, List<PhasePrompt> prompts, int topK, IntFunction<String> tokenText) {
        if (prompts.isEmpty()) throw new IllegalArgumentException("the three phases need at least one prompt");
        int layers = prompts.get(0).residuals().length;
        double[][] sums = new double[layers][PhaseProbe.values().length];
        List<Map<Integer, double[]>> seen = new ArrayList<>(); // per layer: id -> {count, prob sum}
        for (int l = 0; l < layers; l++) seen.add(new HashMap<>());
        for (PhasePrompt p : prompts) {
            if (p.residuals().length != layers) {
                throw new IllegalArgumentException("prompts differ in layer count: " + layers + " vs " + p.residuals().length);
            }
            int[] ids = {p.inputId(), p.taskWordId(), p.answerId()};
            for (int l = 0; l < layers; l++) {
                LensResult r = lens.apply(p.residuals()[l], topK, ids);
                for (int k = 0; k < ids.length; k++) sums[l][k] += r.probsOfIds()[k];
                for (int t = 0; t < r.topIds().length; t++) {
                    double[] acc = seen.get(l).computeIfAbsent(r.topIds()[t], id -> new double[2]);
                    acc[0] += 1;
                    acc[1] += r.topProbs()[t];
                }
            }
        }
        int n = prompts.size();
        List<PhaseRow> rows = new ArrayList<>();
        List<DecodedToken> tokens = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            for (PhaseProbe probe : PhaseProbe.values()) rows.add(new PhaseRow(l, probe, sums[l][probe.ordinal()] / n, n));
            // most often in a prompt's top k first, then the higher summed probability, then the lower id
            List<Map.Entry<Integer, double[]>> ranked = new ArrayList<>(seen.get(l).entrySet());
            ranked.sort(Comparator.<Map.Entry<Integer, double[]>>comparingDouble(e -> -e.getValue()[0])
                    .thenComparingDouble(e -> -e.getValue()[1]).thenComparingInt(Map.Entry::getKey));
            for (int rank = 0; rank < Math.min(topK, ranked.size()); rank++) {
                Map.Entry<Integer, double[]> e = ranked.get(rank);
                tokens.add(new DecodedToken(l, rank + 1, e.getKey(), tokenText.apply(e.getKey()),
                        e.getValue()[0] / n, e.getValue()[1] / e.getValue()[0]));
            }
        }
        return new PhaseResult(rows, tokens);
    }

    /** The layer where a probe's mean probability peaks (the lowest such layer on ties). */
    public static int peakLayer(List<PhaseRow> rows, PhaseProbe probe) {
        return rows.stream().filter(r -> r.probe() == probe)
                .max(Comparator.comparingDouble(PhaseRow::probability).thenComparing(r -> -r.layer()))
                .map(PhaseRow::layer).orElseThrow(() -> new IllegalArgumentException("no rows for " + probe.db()));
    }
}
