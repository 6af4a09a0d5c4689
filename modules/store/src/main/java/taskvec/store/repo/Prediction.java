package taskvec.store.repo;

/**
 * One evaluated query. {@code condition}: "no_context", "prompt" or "patch"; {@code spec}: the
 * source specification (null for no context); {@code modality}: the query's; {@code layer},
 * {@code mode} ("replace"/"add") and {@code alpha} null where they do not apply; {@code vectorId}
 * the patched vector, if any.
 */
public record Prediction(long runId, String model, String task, int seed, String split, String itemId,
                         String condition, String spec, String modality, Integer layer, String mode, Float alpha,
                         String output, boolean correct, Long vectorId) {}
