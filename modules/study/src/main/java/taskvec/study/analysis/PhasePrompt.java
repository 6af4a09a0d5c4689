package taskvec.study.analysis;

/**
 * One prompt's residual stream at its last token, per layer {@code (L, D)}, with the ids the
 * three phases follow: the input token, the task word's first token, the answer's first token.
 */
public record PhasePrompt(float[][] residuals, int inputId, int taskWordId, int answerId) {
    public PhasePrompt {
        if (residuals.length == 0) throw new IllegalArgumentException("a phase prompt needs at least one layer");
    }
}
