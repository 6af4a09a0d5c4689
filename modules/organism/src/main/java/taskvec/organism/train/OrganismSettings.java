package taskvec.organism.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting of an organism training run: the architecture (a Llama decoder, a CLIP vision tower and LLaVA's
 * projector), the optimisation, the training-data mix and the late-read regime. All of it goes into the manifest.
 *
 * @param lateReadShare  share of training sequences in which each answer delimiter ':' may not attend to its own
 *                       query's tokens in the first r decoder layers (r uniform in 1..lateReadMaxLayers), so the
 *                       model learns to read the query in later layers too; 0 switches the regime off
 * @param trainingMix    share of each kind of training sequence, in {@link SequenceSampler.Kind} order
 */
public record OrganismSettings(
        int hiddenSize, int intermediateSize, int numLayers, int numHeads,
        int visionHiddenSize, int visionIntermediateSize, int visionLayers, int visionHeads,
        int imageSize, int patchSize,
        int steps, int batchSize, double learningRate, int warmupSteps, double minLearningRateRatio,
        double weightDecay, double beta1, double beta2, double gradientClip, double initStd,
        int maxDemonstrations, double lateReadShare, int lateReadMaxLayers,
        double augmentShiftPixels, double augmentNoise, double augmentColorJitter, List<Double> trainingMix,
        int evalEvery, int evalPromptsPerTask, int threads, long seed) {

    /**
     * The training mix: text examples, image examples, instruction + text query, instruction + image query,
     * naming, task naming. Weighted towards pictures: text ICL saturates early, recognising 414 pictures does not.
     */
    public static final List<Double> SHIPPED_MIX = List.of(0.14, 0.30, 0.07, 0.12, 0.24, 0.13);

    /**
     * The text-only parts of the mix, for the organism's language model (the decoder the VLM is then made from):
     * text examples, instruction + text query, task naming after text examples or an instruction.
     */
    public static final List<Double> TEXT_ONLY_MIX = List.of(0.45, 0.0, 0.25, 0.0, 0.0, 0.30);

    /**
     * The VLM phase's mix, when the decoder comes from the language model: text ICL is already there (kept with a
     * smaller share), recognising the pictures is what is left to learn. Runs of 800 and 1100 steps with
     * {@link #SHIPPED_MIX} from the language model had image examples at 0.34 and 0.38 after 500 steps.
     */
    public static final List<Double> VLM_MIX = List.of(0.08, 0.34, 0.04, 0.14, 0.28, 0.12);

    /** The shipped organism's settings (about 1.3M parameters), sized for under 30 minutes at the 0.7-0.75 s/step measured on this shared 2-core machine. */
    public static OrganismSettings shipped() {
        return new OrganismSettings(128, 512, 4, 4, 64, 256, 2, 4, 32, 8,
                2400, 32, 2e-3, 100, 0.05, 0.01, 0.9, 0.98, 1.0, 0.02,
                5, 0.5, 3, 1, 0.02, 0.05, SHIPPED_MIX,
                250, 20, 1, 1);
    }

    /** A tiny organism for tests: trains a few hundred steps in well under two minutes. */
    public static OrganismSettings tiny() {
        return new OrganismSettings(32, 64, 2, 2, 16, 32, 1, 2, 32, 8,
                200, 8, 3e-3, 20, 0.1, 0.01, 0.9, 0.98, 1.0, 0.02,
                3, 0.5, 1, 2, 0.03, 0.1, SHIPPED_MIX,
                100, 4, 1, 1);
    }

    public OrganismSettings withSteps(int n) {
        return new OrganismSettings(hiddenSize, intermediateSize, numLayers, numHeads, visionHiddenSize,
                visionIntermediateSize, visionLayers, visionHeads, imageSize, patchSize, n, batchSize, learningRate,
                warmupSteps, minLearningRateRatio, weightDecay, beta1, beta2, gradientClip, initStd, maxDemonstrations,
                lateReadShare, lateReadMaxLayers, augmentShiftPixels, augmentNoise, augmentColorJitter, trainingMix, evalEvery,
                evalPromptsPerTask, threads, seed);
    }

    public OrganismSettings withTrainingMix(List<Double> mix) {
        return new OrganismSettings(hiddenSize, intermediateSize, numLayers, numHeads, visionHiddenSize,
                visionIntermediateSize, visionLayers, visionHeads, imageSize, patchSize, steps, batchSize, learningRate,
                warmupSteps, minLearningRateRatio, weightDecay, beta1, beta2, gradientClip, initStd, maxDemonstrations,
                lateReadShare, lateReadMaxLayers, augmentShiftPixels, augmentNoise, augmentColorJitter, mix, evalEvery,
                evalPromptsPerTask, threads, seed);
    }

    public OrganismSettings withSeed(long s) {
        return new OrganismSettings(hiddenSize, intermediateSize, numLayers, numHeads, visionHiddenSize,
                visionIntermediateSize, visionLayers, visionHeads, imageSize, patchSize, steps, batchSize, learningRate,
                warmupSteps, minLearningRateRatio, weightDecay, beta1, beta2, gradientClip, initStd, maxDemonstrations,
                lateReadShare, lateReadMaxLayers, augmentShiftPixels, augmentNoise, augmentColorJitter, trainingMix, evalEvery,
                evalPromptsPerTask, threads, s);
    }

    public OrganismSettings withLateReadShare(double share) {
        return new OrganismSettings(hiddenSize, intermediateSize, numLayers, numHeads, visionHiddenSize,
                visionIntermediateSize, visionLayers, visionHeads, imageSize, patchSize, steps, batchSize, learningRate,
                warmupSteps, minLearningRateRatio, weightDecay, beta1, beta2, gradientClip, initStd, maxDemonstrations,
                share, lateReadMaxLayers, augmentShiftPixels, augmentNoise, augmentColorJitter, trainingMix, evalEvery,
                evalPromptsPerTask, threads, seed);
    }

    public OrganismSettings withThreads(int n) {
        return new OrganismSettings(hiddenSize, intermediateSize, numLayers, numHeads, visionHiddenSize,
                visionIntermediateSize, visionLayers, visionHeads, imageSize, patchSize, steps, batchSize, learningRate,
                warmupSteps, minLearningRateRatio, weightDecay, beta1, beta2, gradientClip, initStd, maxDemonstrations,
                lateReadShare, lateReadMaxLayers, augmentShiftPixels, augmentNoise, augmentColorJitter, trainingMix, evalEvery,
                evalPromptsPerTask, n, seed);
    }

    public OrganismSettings {
        if (hiddenSize % numHeads != 0 || (hiddenSize / numHeads) % 2 != 0) {
            throw new IllegalArgumentException("hiddenSize " + hiddenSize + " must split into " + numHeads + " heads of even size");
        }
        if (visionHiddenSize % visionHeads != 0) {
            throw new IllegalArgumentException("visionHiddenSize " + visionHiddenSize + " must split into " + visionHeads + " heads");
        }
        if (imageSize % patchSize != 0) {
            throw new IllegalArgumentException("patchSize " + patchSize + " must divide imageSize " + imageSize);
        }
        if (steps < 1 || batchSize < 1) {
            throw new IllegalArgumentException("steps and batch size must be positive");
        }
        if (lateReadShare < 0 || lateReadShare > 1) {
            throw new IllegalArgumentException("lateReadShare must be in [0, 1], got " + lateReadShare);
        }
        if (lateReadMaxLayers < 1 || lateReadMaxLayers >= numLayers + 1) {
            throw new IllegalArgumentException("lateReadMaxLayers must be in 1.." + numLayers + ", got " + lateReadMaxLayers);
        }
        if (trainingMix == null || trainingMix.size() != SequenceSampler.Kind.values().length
                || Math.abs(trainingMix.stream().mapToDouble(Double::doubleValue).sum() - 1) > 1e-6) {
            throw new IllegalArgumentException("trainingMix must give " + SequenceSampler.Kind.values().length
                    + " shares that sum to 1, got " + trainingMix);
        }
        trainingMix = List.copyOf(trainingMix);
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
    }

    /** True when the mix draws no sequence with a picture: a language model, trained and saved without vision. */
    public boolean textOnly() {
        return trainingMix.get(SequenceSampler.Kind.IMAGE_EXAMPLES.ordinal()) == 0
                && trainingMix.get(SequenceSampler.Kind.INSTRUCTION_IMAGE.ordinal()) == 0
                && trainingMix.get(SequenceSampler.Kind.NAMING.ordinal()) == 0;
    }

    /** Image features per picture: one per patch (the class token is dropped, LLaVA's default strategy). */
    public int imageFeatureCount() {
        return (imageSize / patchSize) * (imageSize / patchSize);
    }

    /** Every setting by name, for the manifest. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (var c : OrganismSettings.class.getRecordComponents()) {
            try {
                m.put(c.getName(), c.getAccessor().invoke(this));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return m;
    }
}
