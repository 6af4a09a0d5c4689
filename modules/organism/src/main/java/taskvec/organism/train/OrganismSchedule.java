package taskvec.organism.train;

/**
 * How the organism is made, the way LLaVA was made from Vicuna and CLIP: first a language model (the Llama decoder
 * alone, trained on the text-only parts of the mix), then the VLM built from it (a CLIP tower, pretrained or fresh,
 * and a fresh projector added) and trained further on the whole mix, pictures included.
 */
public record OrganismSchedule(OrganismSettings languageModel, OrganismSettings vlm) {

    /** Steps of the shipped language model (text examples 0.93 on the trainer's held-out probes at the end). */
    public static final int SHIPPED_LANGUAGE_MODEL_STEPS = 500;
    /**
     * Steps of the shipped VLM phase (its CLIP tower pretrained, its projector fresh): what fitted in about half an
     * hour on the shared 2-core machine, where a step took 2-3.5 s under other work's load.
     */
    public static final int SHIPPED_VLM_STEPS = 600;

    public OrganismSchedule {
        if (!languageModel.textOnly()) {
            throw new IllegalArgumentException("the language model's mix must be text-only, got " + languageModel.trainingMix());
        }
        if (vlm.textOnly()) {
            throw new IllegalArgumentException("the VLM's mix must include pictures, got " + vlm.trainingMix());
        }
        if (languageModel.hiddenSize() != vlm.hiddenSize() || languageModel.intermediateSize() != vlm.intermediateSize()
                || languageModel.numLayers() != vlm.numLayers() || languageModel.numHeads() != vlm.numHeads()) {
            throw new IllegalArgumentException("the language model and the VLM must have the same decoder dimensions");
        }
    }

    /** A schedule whose two phases share every setting but the mix and the step counts. */
    public static OrganismSchedule of(OrganismSettings vlm, int languageModelSteps) {
        return new OrganismSchedule(vlm.withSteps(languageModelSteps).withTrainingMix(OrganismSettings.TEXT_ONLY_MIX), vlm);
    }

    public static OrganismSchedule shipped() {
        return of(OrganismSettings.shipped().withSteps(SHIPPED_VLM_STEPS).withTrainingMix(OrganismSettings.VLM_MIX),
                SHIPPED_LANGUAGE_MODEL_STEPS);
    }
}
