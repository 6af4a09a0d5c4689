package taskvec.model.family;

import taskvec.model.ModelLoadException;
import taskvec.model.PromptTokenizer;
import taskvec.model.arch.Weights;
import taskvec.model.config.ModelConfig;
import taskvec.model.image.ImagePreprocessor;
import taskvec.model.image.ImageProcessor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/** Picks a folder's family by its config's model_type: the one switch over architectures. */
public final class ModelFamilies {

    private ModelFamilies() {
    }

    /** The family's prompt layout from config.json and the tokenizer alone, so prompts resolve without weights. */
    public static taskvec.model.layout.PromptLayout layout(ModelConfig config, PromptTokenizer tokenizer, Path modelDir) {
        return switch (config.modelType()) {
            case "llava" -> LlavaFamily.layout(config, tokenizer);
            case "idefics2" -> Idefics2Family.layout(config, tokenizer, modelDir);
            case "fuyu" -> FuyuFamily.layout(config, tokenizer, modelDir);
            case "llama", "mistral", "qwen2" -> taskvec.model.layout.RepeatedImageTokenLayout.textOnly(tokenizer);
            default -> throw unsupported(config);
        };
    }

    /** Loads the family's weights (the decoder and, for vision-language models, the vision side). */
    public static ModelFamily load(ModelConfig config, Weights weights, Predicate<String> hasTensor,
                                   PromptTokenizer tokenizer, Path modelDir) {
        return switch (config.modelType()) {
            case "llava" -> LlavaFamily.load(config, weights, hasTensor, tokenizer, clipOrSiglipProcessor(modelDir));
            case "idefics2" -> Idefics2Family.load(config, weights, tokenizer, modelDir);
            case "fuyu" -> FuyuFamily.load(config, weights, hasTensor, tokenizer, modelDir);
            case "llama", "mistral", "qwen2" -> CausalLmFamily.load(weights, config.text(), tokenizer);
            default -> throw unsupported(config);
        };
    }

    /** The folder's CLIP/SigLIP processor, or null when it has no preprocessor_config.json. */
    private static ImagePreprocessor clipOrSiglipProcessor(Path modelDir) {
        Path file = modelDir.resolve("preprocessor_config.json");
        return Files.isRegularFile(file) ? ImageProcessor.fromConfig(file) : null;
    }

    private static ModelLoadException unsupported(ModelConfig config) {
        return new ModelLoadException(config.file() + ": unsupported model_type '" + config.modelType() + "'");
    }
}
