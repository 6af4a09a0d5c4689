package taskvec.model;

/** What a loaded model is: architecture, sizes and where it runs. */
public record ModelInfo(
        String modelType,
        String textModelType,
        int numLayers,
        int hiddenSize,
        int vocabSize,
        int numHeads,
        int numKvHeads,
        String dtype,
        String device,
        long parameterCount,
        boolean hasVision,
        int imageTokenId,
        int imageFeatureCount) {
}
