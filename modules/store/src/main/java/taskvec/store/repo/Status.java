package taskvec.store.repo;

import java.util.Locale;

/** The status of a run, a stage or a work item, as stored (lowercase). Runs never take REUSED. */
public enum Status {
    PENDING, RUNNING, DONE, FAILED, REUSED;

    public String db() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Status of(String db) {
        return valueOf(db.toUpperCase(Locale.ROOT));
    }

    /** Finished with usable outputs. */
    public boolean finished() {
        return this == DONE || this == REUSED;
    }
}
