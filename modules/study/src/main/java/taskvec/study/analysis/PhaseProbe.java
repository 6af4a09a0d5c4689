package taskvec.study.analysis;

/** What the three-phase plot follows across layers: the input token, the task word, the answer. */
public enum PhaseProbe {
    INPUT("input"), TASK("task"), ANSWER("answer");

    private final String db;

    PhaseProbe(String db) {
        this.db = db;
    }

    /** The spelling in the phase_lens table. */
    public String db() {
        return db;
    }
}
