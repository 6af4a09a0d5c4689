package taskvec.model.generate;

import taskvec.model.config.TextConfig;

import java.util.Map;

/**
 * How many distinct prompts run in one padded batch: a fixed number ({@code TASKVEC_BATCH_PROMPTS}), or as many as
 * fit a memory budget for the working set of one forward pass ({@code TASKVEC_BATCH_MEMORY_MB}, default 512 MiB),
 * at most 64. The working set of a row of T tokens is one layer's transient tensors: the residual stream and
 * attention outputs, q/k/v, the MLP's three intermediate tensors, and the T x T attention scores of every head.
 *
 * @param fixedPrompts prompts per batch, or 0 to derive it from the budget
 * @param budgetBytes  the working-set budget when {@code fixedPrompts} is 0
 */
public record PromptBatching(int fixedPrompts, long budgetBytes) {

    public static final int MAX_PROMPTS = 64;

    /** Batch size 1: every distinct prompt runs alone (the reference the batched results are compared with). */
    public static final PromptBatching ONE = new PromptBatching(1, 0);

    public static PromptBatching fromEnvironment() {
        return from(System.getenv());
    }

    static PromptBatching from(Map<String, String> env) {
        int fixed = positive(env, "TASKVEC_BATCH_PROMPTS", 0);
        long budget = positive(env, "TASKVEC_BATCH_MEMORY_MB", 512) * (1L << 20);
        return new PromptBatching(fixed, budget);
    }

    /** Prompts per batch for prompts of up to {@code tokens} tokens, held in {@code bytesPerValue}-byte values. */
    public int promptsPerBatch(TextConfig text, int tokens, int bytesPerValue) {
        if (fixedPrompts > 0) {
            return Math.min(fixedPrompts, MAX_PROMPTS);
        }
        long perRow = rowBytes(text, tokens, bytesPerValue);
        return (int) Math.max(1, Math.min(MAX_PROMPTS, budgetBytes / Math.max(1, perRow)));
    }

    static long rowBytes(TextConfig t, int tokens, int bytesPerValue) {
        long kvWidth = (long) t.numKvHeads() * t.headDim();
        long perToken = 4L * t.hiddenSize() + (long) t.numHeads() * t.headDim() + 2 * kvWidth + 3L * t.intermediateSize();
        return ((long) tokens * perToken + (long) t.numHeads() * tokens * tokens) * bytesPerValue;
    }

    private static int positive(Map<String, String> env, String name, int fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + ": '" + v + "' is not a positive integer");
    }
}
