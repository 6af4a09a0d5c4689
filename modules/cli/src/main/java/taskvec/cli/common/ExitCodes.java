package taskvec.cli.common;

/** Exit codes scripts can rely on. */
public final class ExitCodes {
    public static final int OK = 0;
    /** The work ran and something in it failed (a failing fixture case, a failed run). */
    public static final int FAILED = 1;
    /** Bad input: a study file, dataset, model folder, image or SQL that cannot be used. */
    public static final int INVALID_INPUT = 2;
    /** A bug or an environment problem taskvec did not anticipate. */
    public static final int INTERNAL_ERROR = 3;

    private ExitCodes() {}
}
