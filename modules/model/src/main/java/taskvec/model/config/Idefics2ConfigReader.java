package taskvec.model.config;

import java.util.Set;

/**
 * Reads an Idefics2 config.json ({@code model_type: idefics2}) with the defaults of Hugging Face's Idefics2Config,
 * Idefics2VisionConfig and Idefics2PerceiverConfig. A setting the runtime cannot compute as Hugging Face does is a
 * {@link taskvec.model.ModelLoadException} naming the file and the key.
 */
final class Idefics2ConfigReader {

    private static final Set<String> TEXT_MODELS = Set.of("llama", "mistral", "qwen2");
    // transformers 4.40 wrote the parent's model_type into the sub-configs; later versions their own
    private static final Set<String> VISION_TYPES = Set.of("idefics2_vision", "idefics2");
    private static final Set<String> PERCEIVER_TYPES = Set.of("idefics2_perceiver", "idefics2");

    private Idefics2ConfigReader() {
    }

    static Idefics2Config read(Keys top) {
        Keys textKeys = top.child("text_config");
        String textType = textKeys.string("model_type", "mistral");
        if (!TEXT_MODELS.contains(textType)) {
            throw textKeys.error("model_type", "'" + textType + "' is not supported (supported: " + TEXT_MODELS + ")");
        }
        TextConfig text = ConfigReader.text(textKeys, textType);
        if (!textKeys.has("tie_word_embeddings") && top.has("tie_word_embeddings")) {
            text = ConfigReader.withTie(text, top.bool("tie_word_embeddings", false));
        }
        VisionConfig vision = vision(top.child("vision_config"));
        PerceiverConfig perceiver = perceiver(top.child("perceiver_config"), text);
        int imageToken = top.integer("image_token_id", 32001);
        if (imageToken >= text.vocabSize()) {
            throw top.error("image_token_id", imageToken + " is outside the text model's vocabulary of " + text.vocabSize());
        }
        return new Idefics2Config(text, vision, perceiver, imageToken);
    }

    private static VisionConfig vision(Keys k) {
        String type = k.string("model_type", "idefics2_vision");
        if (!VISION_TYPES.contains(type)) {
            throw k.error("model_type", "'" + type + "' is not an Idefics2 vision tower (" + VISION_TYPES + ")");
        }
        int hidden = k.integer("hidden_size", 768);
        int heads = k.integer("num_attention_heads", 12);
        int imageSize = k.integer("image_size", 224);
        int patch = k.integer("patch_size", 32);
        if (hidden % heads != 0) {
            throw k.error("num_attention_heads", heads + " does not divide hidden_size " + hidden);
        }
        int channels = k.integer("num_channels", 3);
        if (channels != 3) {
            throw k.error("num_channels", channels + " is not supported: the Idefics2 processor gives RGB images");
        }
        if (patch > imageSize) {
            throw k.error("patch_size", patch + " is larger than image_size " + imageSize
                    + ", so the position table would be empty");
        }
        return new VisionConfig(type, hidden, k.integer("intermediate_size", 3072), k.integer("num_hidden_layers", 12),
                heads, imageSize, patch, channels,
                ConfigReader.activation(k, "hidden_act", "gelu_pytorch_tanh"), k.number("layer_norm_eps", 1e-6));
    }

    private static PerceiverConfig perceiver(Keys k, TextConfig text) {
        String type = k.string("model_type", "idefics2_perceiver");
        if (!PERCEIVER_TYPES.contains(type)) {
            throw k.error("model_type", "'" + type + "' is not an Idefics2 perceiver (" + PERCEIVER_TYPES + ")");
        }
        int hidden = k.integer("hidden_size", 4096);
        double eps = k.number("rms_norm_eps", 1e-6);
        if (hidden != text.hiddenSize()) {
            // Idefics2Config's rule: a perceiver sized unlike the text model (its default 4096, usually) takes the
            // text model's hidden size and its rms_norm_eps
            hidden = text.hiddenSize();
            eps = text.rmsNormEps();
        }
        int heads = positive(k, "resampler_n_heads", 16);
        int kvHeads = positive(k, "num_key_value_heads", 4);
        if (heads % kvHeads != 0) {
            throw k.error("num_key_value_heads", kvHeads + " does not divide resampler_n_heads " + heads
                    + " (grouped-query attention needs whole groups)");
        }
        return new PerceiverConfig(hidden, eps, positive(k, "resampler_n_latents", 64), positive(k, "resampler_depth", 3),
                heads, positive(k, "resampler_head_dim", 96), kvHeads,
                ConfigReader.activation(k, "hidden_act", "silu"));
    }

    private static int positive(Keys k, String key, int fallback) {
        int v = k.integer(key, fallback);
        if (v <= 0) {
            throw k.error(key, "must be positive, got " + v);
        }
        return v;
    }
}
