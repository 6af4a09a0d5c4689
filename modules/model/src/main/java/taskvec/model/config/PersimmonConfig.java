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

    /**
     * The sizes every family reports ({@link ModelConfig#text()}, the model's info) in the shared record. Its
     * rmsNormEps holds the LayerNorm epsilon; no decoder is built from it (PersimmonDecoderLoader reads this record).
     */
    public TextConfig summary() {
        return new TextConfig("persimmon", vocabSize, hiddenSize, intermediateSize, numLayers, numHeads, numHeads,
                headDim(), layerNormEps, ropeTheta, ropeScaling, hiddenAct, true, true, true, tieWordEmbeddings,
                maxPositionEmbeddings, 0);
    }
}
