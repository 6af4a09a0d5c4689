package taskvec.model.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A model folder's config.json: a causal LM (text only), LLaVA with a vision tower and a projector, or Fuyu (a
 * Persimmon decoder reading image patches through one linear layer).
 *
 * @param modelType the top-level model_type ("llava", "fuyu", "llama", "mistral", "qwen2")
 * @param text      the decoder's sizes (for Fuyu a summary of {@code fuyu.text()}, see
 *                  {@link PersimmonConfig#summary()})
 * @param vision    the vision tower of LLaVA
 * @param llava     LLaVA's feature selection and projector
 * @param fuyu      Fuyu's decoder and patch embedding
 */
public record ModelConfig(Path file, String modelType, TextConfig text, Optional<VisionConfig> vision,
                          Optional<LlavaConfig> llava, Optional<FuyuConfig> fuyu) {

    /** A causal LM or LLaVA. */
    public ModelConfig(Path file, String modelType, TextConfig text, Optional<VisionConfig> vision,
                       Optional<LlavaConfig> llava) {
        this(file, modelType, text, vision, llava, Optional.empty());
    }

    /** Whether the model takes images (through a vision tower, or Fuyu's patch embedding). */
    public boolean hasVision() {
        return vision.isPresent() || fuyu.isPresent();
    }

    /** The id that stands for an image in the prompt's text, -1 for text-only models. */
    public int imageTokenId() {
        return fuyu.map(FuyuConfig::imageTokenId).orElse(llava.map(LlavaConfig::imageTokenId).orElse(-1));
    }

    /**
     * Image tokens each image expands to in the prompt, after the select strategy; 0 for text-only models and for
     * Fuyu, whose count depends on each image's size (its layout says).
     */
    public int imageFeatureCount() {
        if (vision.isEmpty()) {
            return 0;
        }
        int tokens = vision.get().tokensPerImage();
        return llava.get().dropsFirstToken() ? tokens - 1 : tokens;
    }
}
