package taskvec.model.arch.fuyu;

import taskvec.model.arch.persimmon.PersimmonWeightNames;

import java.util.function.Predicate;

/**
 * Where Fuyu's two parts sit in a checkpoint, in both naming schemes: the one adept/fuyu-8b and
 * TIGER-Lab/Mantis-8B-Fuyu use ({@code language_model.model.*}, {@code language_model.lm_head.weight},
 * {@code vision_embed_tokens.*}), and the one newer transformers save ({@code model.language_model.*},
 * {@code lm_head.weight}, {@code model.vision_embed_tokens.*}).
 */
public record FuyuWeightNames(PersimmonWeightNames decoder, String visionEmbed) {

    public static FuyuWeightNames legacy() {
        return new FuyuWeightNames(new PersimmonWeightNames("language_model.model.", "language_model.lm_head.weight"),
                "vision_embed_tokens");
    }

    public static FuyuWeightNames current() {
        return new FuyuWeightNames(new PersimmonWeightNames("model.language_model.", "lm_head.weight"),
                "model.vision_embed_tokens");
    }

    /** The scheme whose token embedding table the checkpoint has (legacy when neither, so errors name those). */
    public static FuyuWeightNames detect(Predicate<String> hasTensor) {
        FuyuWeightNames current = current();
        return hasTensor.test(current.decoder().embed()) ? current : legacy();
    }
}
