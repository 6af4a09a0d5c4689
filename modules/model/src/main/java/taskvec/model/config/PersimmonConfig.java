package taskvec.model.config;

/**
 * The decoder settings of a Persimmon language model (Fuyu's decoder), with Hugging Face's defaults applied for
 * keys the config omits. Every linear layer and norm carries a bias; norms are LayerNorms.
 *
 * @param layerNormEps        epsilon of every LayerNorm (block norms, final norm, per-head q/k norms)
 * @param partialRotaryFactor share of each head that RoPE rotates (its first {@link #rotaryDim()} values)
 * @param qkLayernorm         queries and keys pass a per-head LayerNorm before RoPE
 */
public record PersimmonConfig(
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        double layerNormEps,
        double ropeTheta,
        RopeScaling ropeScaling,
        double partialRotaryFactor,
        boolean qkLayernorm,
        String hiddenAct,
        boolean tieWordEmbeddings,
        int maxPositionEmbeddings) {

    public int headDim() {
        return hiddenSize / numHeads;
    }

    /** How many leading values of each head RoPE rotates: int(head_dim * partial_rotary_factor), as HF. */
    public int rotaryDim() {
        return (int) (headDim() * partialRotaryFactor);
    }
}
