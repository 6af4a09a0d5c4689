package taskvec.workflow;

/** Told how a stage advances (the CLI draws progress bars from it). */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {
        @Override
        public void progress(long runId, String stage, int finished, int total) {}
    };

    /** {@code finished} of {@code total} items of the stage are done, reused or failed. */
    void progress(long runId, String stage, int finished, int total);

    /** A stage ended; {@code summary} is e.g. "12 done, 0 reused, 0 failed". */
    default void stageEnded(long runId, String stage, String summary) {}
}
