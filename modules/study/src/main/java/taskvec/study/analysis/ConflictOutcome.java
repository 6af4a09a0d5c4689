package taskvec.study.analysis;

/** Which task an answer to a conflicting query follows. */
public enum ConflictOutcome {
    PATCHED("patched"), PROMPTED("prompted"), NEITHER("neither");

    private final String db;

    ConflictOutcome(String db) {
        this.db = db;
    }

    /** The spelling in the task_conflict table. */
    public String db() {
        return db;
    }
}
