package taskvec.cli;

import taskvec.store.Store;
import taskvec.store.repo.Run;

/** A RUN argument: a run id, or {@code latest}, the newest run that finished with status done (not the largest id). */
final class RunIds {
    static final String LATEST = "latest";
    static final String DESCRIPTION = "the run id, or latest (the newest run that finished with status done)";

    private RunIds() {}

    static long resolve(Store store, String run) {
        if (LATEST.equals(run)) {
            return store.runs().latestDone().map(Run::id)
                    .orElseThrow(() -> new IllegalArgumentException("latest: no run has finished with status done yet"));
        }
        long id;
        try {
            id = Long.parseLong(run);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("RUN '" + run + "': not a run id or 'latest'");
        }
        if (store.runs().find(id).isEmpty()) throw new IllegalArgumentException("run " + id + ": no such run");
        return id;
    }
}
