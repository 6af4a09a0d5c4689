package taskvec.model.arch.llava;

import taskvec.model.arch.llama.LlamaWeightNames;

import java.util.function.Predicate;

/**
 * Where LLaVA's three parts sit in a checkpoint, for both Hugging Face naming schemes:
 * legacy ({@code language_model.model.*}, {@code language_model.lm_head.weight}, {@code vision_tower.*},
 * {@code multi_modal_projector.*}) as in the llava-1.5 checkpoints, and current
 * ({@code model.language_model.*}, {@code lm_head.weight}, {@code model.vision_tower.*},
 * {@code model.multi_modal_projector.*}).
 */
public record LlavaWeightNames(String scheme, LlamaWeightNames decoder, String visionModel, String projector) {

    public static LlavaWeightNames legacy() {
        return new LlavaWeightNames("legacy",
                new LlamaWeightNames("language_model.model.", "language_model.lm_head.weight"),
                "vision_tower.vision_model.", "multi_modal_projector.");
    }

    public static LlavaWeightNames current() {
        return new LlavaWeightNames("current",
                new LlamaWeightNames("model.language_model.", "lm_head.weight"),
                "model.vision_tower.vision_model.", "model.multi_modal_projector.");
    }

    /** The scheme whose embedding table the checkpoint holds (legacy when neither is found, so errors name it). */
    public static LlavaWeightNames detect(Predicate<String> checkpointHas) {
        LlavaWeightNames current = current();
        return checkpointHas.test(current.decoder().hf("embed")) ? current : legacy();
    }
}
