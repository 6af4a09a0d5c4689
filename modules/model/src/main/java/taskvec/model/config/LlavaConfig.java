package taskvec.model.config;

/**
 * The LLaVA glue between vision tower and decoder.
 *
 * @param visionFeatureLayers hidden-state indexes (negative from the end, HF semantics); more than one are concatenated
 * @param selectStrategy      "default" (drop the first token) or "full"
 */
public record LlavaConfig(
        int imageTokenId,
        int[] visionFeatureLayers,
        String selectStrategy,
        String projectorHiddenAct,
        boolean projectorBias) {

    public boolean dropsFirstToken() {
        return selectStrategy.equals("default");
    }
}
