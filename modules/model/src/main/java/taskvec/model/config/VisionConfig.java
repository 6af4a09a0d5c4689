package taskvec.model.config;

/** A CLIP or SigLIP vision tower, with Hugging Face's defaults applied for keys the config omits. */
public record VisionConfig(
        String modelType,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int imageSize,
        int patchSize,
        int numChannels,
        String hiddenAct,
        double layerNormEps) {

    public boolean isClip() {
        return modelType.startsWith("clip");
    }

    public int patchesPerSide() {
        return imageSize / patchSize;
    }

    /** Tokens the tower outputs per image: the patches, plus CLIP's class token. */
    public int tokensPerImage() {
        return patchesPerSide() * patchesPerSide() + (isClip() ? 1 : 0);
    }

    public int headDim() {
        return hiddenSize / numHeads;
    }
}
