package taskvec.model;

import taskvec.model.hooks.Capture;

import java.util.Map;

/**
 * @param captured   the captured vectors (float32), one per requested capture
 * @param lastLogits logits at the last prompt position (after interventions)
 * @param generated  greedy tokens; stops after maxNewTokens or after a stop token (which is included)
 */
public record RowResult(Map<Capture, float[]> captured, float[] lastLogits, int[] generated) {
}
