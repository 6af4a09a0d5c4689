package taskvec.model.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A model folder's config.json: a causal LM (text only), or LLaVA with a vision tower and a projector.
 *
 * @param modelType the top-level model_type ("llava", "llama", "mistral", "qwen2")
 */
public record ModelConfig(Path file, String modelType, TextConfig text, Optional<VisionConfig> vision,
                          Optional<LlavaConfig> llava) {

    public boolean hasVision() {
        return vision.isPresent();
    }

    /** The id that stands for an image in the prompt's text, -1 for text-only models. */
    public int imageTokenId() {
        return llava.map(LlavaConfig::imageTokenId).orElse(-1);
    }

    /** Image tokens each image expands to in the prompt, after the select strategy (0 for text-only models). */
    public int imageFeatureCount() {
        if (vision.isEmpty()) {
            return 0;
        }
        int tokens = vision.get().tokensPerImage();
        return llava.get().dropsFirstToken() ? tokens - 1 : tokens;
    }
}
