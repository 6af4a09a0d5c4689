package taskvec.model.config;

/**
 * The decoder settings of a Llama-family causal LM (llama, mistral, qwen2), with Hugging Face's defaults
 * already applied for keys the config omits.
 *
 * @param qkvBias     q/k/v projections carry a bias (always for qwen2; {@code attention_bias} for llama/mistral)
 * @param outputBias  o_proj carries a bias ({@code attention_bias} for llama/mistral; never for qwen2)
 * @param mlpBias     gate/up/down carry a bias ({@code mlp_bias}, llama only)
 */
public record TextConfig(
        String modelType,
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        double rmsNormEps,
        double ropeTheta,
        String hiddenAct,
        boolean qkvBias,
        boolean outputBias,
        boolean mlpBias,
        boolean tieWordEmbeddings,
        int maxPositionEmbeddings) {
}
