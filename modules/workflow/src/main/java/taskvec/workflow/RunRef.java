package taskvec.workflow;

/** What the routes pass from stage to stage: the run's id, never tensors. */
public record RunRef(long runId) {}
