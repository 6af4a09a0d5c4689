package taskvec.model.config;

/**
 * Idefics2's perceiver resampler, with Hugging Face's defaults applied (and its rule that a perceiver whose hidden
 * size differs from the text model's takes the text model's hidden size and rms_norm_eps).
 *
 * @param numLatents resampler_n_latents: rows each crop becomes
 * @param depth      resampler_depth: perceiver layers
 * @param numHeads   resampler_n_heads
 * @param headDim    resampler_head_dim
 * @param numKvHeads num_key_value_heads (divides numHeads)
 */
public record PerceiverConfig(
        int hiddenSize,
        double rmsNormEps,
        int numLatents,
        int depth,
        int numHeads,
        int headDim,
        int numKvHeads,
        String hiddenAct) {
}
