package taskvec.study.config;

/**
 * What a study may ask for. Each bound is far above anything the paper's protocol needs, and low
 * enough that a typo (a billion new tokens, a 50 MB file) is refused at the key instead of running
 * until it is killed.
 */
public final class StudyLimits {
    private StudyLimits() {}

    /** A study file is a few kilobytes; parsing a large YAML scalar takes time quadratic in its size. */
    public static final long FILE_BYTES = 1 << 20;
    /** Answers are a word or two; every extra token is one more forward pass per evaluated row. */
    public static final int MAX_NEW_TOKENS = 64;
    public static final int SHOTS = 64;
    public static final int SEEDS = 32;
    public static final int TASKS = 256;
    /** Larger than any decoder's layer count (the model's own count is checked when it is loaded). */
    public static final int LAYER_INDEX = 1023;
    public static final int SAMPLE_EFFICIENCY_PROMPTS = 64;
    public static final int ALPHAS = 16;
    public static final int PRE_RESIZE_WIDTH = 4096;
}
