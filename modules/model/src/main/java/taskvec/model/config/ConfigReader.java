package taskvec.model.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import taskvec.model.ModelLoadException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads config.json into a {@link ModelConfig}, applying the Hugging Face defaults of each model type for keys
 * the file omits. Any problem is a {@link ModelLoadException} naming the file and the key.
 */
public final class ConfigReader {

    private static final Set<String> CAUSAL_LMS = Set.of("llama", "mistral", "qwen2");
    private static final Set<String> VISION_TOWERS = Set.of("clip_vision_model", "siglip_vision_model");

    private ConfigReader() {
    }

    public static ModelConfig read(Path modelDir) {
        Path file = modelDir.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException(file + ": not found (a model folder needs config.json)");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelLoadException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelLoadException(file + ": not a JSON object");
        }
        Keys top = new Keys(file, "", root);
        String type = top.string("model_type", null);
        if (type == null) {
            throw new ModelLoadException(file + ": model_type is missing");
        }
        if (type.equals("llava")) {
            return readLlava(file, top);
        }
        if (CAUSAL_LMS.contains(type)) {
            return new ModelConfig(file, type, text(new Keys(file, "", root), type), Optional.empty(), Optional.empty());
        }
        throw new ModelLoadException(file + ": unsupported model_type '" + type + "' (supported: llava, llama, mistral, qwen2)");
    }

    private static ModelConfig readLlava(Path file, Keys top) {
        Keys textKeys = top.child("text_config");
        String textType = textKeys.string("model_type", "llama");
        if (!CAUSAL_LMS.contains(textType)) {
            throw new ModelLoadException(file + ": text_config.model_type '" + textType
                    + "' is not supported (supported: llama, mistral, qwen2)");
        }
        TextConfig text = text(textKeys, textType);
        // tie_word_embeddings may sit at the top level of a LLaVA config only
        if (!textKeys.has("tie_word_embeddings") && top.has("tie_word_embeddings")) {
            text = withTie(text, top.bool("tie_word_embeddings", false));
        }
        Keys visionKeys = top.child("vision_config");
        String visionType = visionKeys.string("model_type", "clip_vision_model");
        if (!VISION_TOWERS.contains(visionType)) {
            throw new ModelLoadException(file + ": vision_config.model_type '" + visionType
                    + "' is not supported (supported: clip_vision_model, siglip_vision_model)");
        }
        VisionConfig vision = vision(visionKeys, visionType, !top.has("vision_config"));

        JsonNode layerNode = top.node("vision_feature_layer");
        int[] layers;
        if (layerNode.isMissingNode() || layerNode.isNull()) {
            layers = new int[] {-2};
        } else if (layerNode.isArray()) {
            layers = new int[layerNode.size()];
            for (int i = 0; i < layers.length; i++) {
                if (!layerNode.get(i).canConvertToInt()) {
                    throw new ModelLoadException(file + ": vision_feature_layer must be an integer or a list of integers");
                }
                layers[i] = layerNode.get(i).asInt();
            }
        } else if (layerNode.isIntegralNumber() && layerNode.canConvertToInt()) {
            layers = new int[] {layerNode.asInt()};
        } else {
            throw new ModelLoadException(file + ": vision_feature_layer must be an integer or a list of integers");
        }
        for (int l : layers) {
            // hidden_states has numLayers + 1 entries (the embeddings first)
            if (l < -(vision.numLayers() + 1) || l > vision.numLayers()) {
                throw new ModelLoadException(file + ": vision_feature_layer " + l + " is outside the "
                        + (vision.numLayers() + 1) + " hidden states of the vision tower");
            }
        }
        String strategy = top.string("vision_feature_select_strategy", "default");
        if (!strategy.equals("default") && !strategy.equals("full")) {
            throw new ModelLoadException(file + ": vision_feature_select_strategy '" + strategy
                    + "' is not supported (default, full)");
        }
        LlavaConfig llava = new LlavaConfig(
                top.integer("image_token_index", top.integer("image_token_id", 32000)),
                layers, strategy,
                top.string("projector_hidden_act", "gelu"),
                top.bool("multimodal_projector_bias", true));
        return new ModelConfig(file, "llava", text, Optional.of(vision), Optional.of(llava));
    }

    private static TextConfig text(Keys k, String type) {
        // defaults of LlamaConfig / MistralConfig / Qwen2Config
        int vocab = k.integer("vocab_size", type.equals("qwen2") ? 151936 : 32000);
        int hidden = k.integer("hidden_size", 4096);
        int intermediate = k.integer("intermediate_size",
                switch (type) { case "mistral" -> 14336; case "qwen2" -> 22016; default -> 11008; });
        int layers = k.integer("num_hidden_layers", 32);
        int heads = k.integer("num_attention_heads", 32);
        int kvHeads = k.integer("num_key_value_heads", type.equals("mistral") ? 8 : heads);
        int headDim = k.integer("head_dim", hidden / heads);
        double eps = k.number("rms_norm_eps", 1e-6);
        double theta = k.number("rope_theta", 10000.0);
        String act = k.string("hidden_act", "silu");
        boolean attentionBias = k.bool("attention_bias", false);
        boolean qkvBias = type.equals("qwen2") || attentionBias;
        boolean outputBias = !type.equals("qwen2") && attentionBias;
        boolean mlpBias = type.equals("llama") && k.bool("mlp_bias", false);
        boolean tie = k.bool("tie_word_embeddings", false);
        int maxPos = k.integer("max_position_embeddings", 2048);
        int window = 0;
        if (type.equals("mistral")) {
            // MistralConfig defaults to 4096; an explicit null means full causal attention
            window = k.node("sliding_window").isNull() ? 0 : k.integer("sliding_window", 4096);
        }
        if (type.equals("qwen2") && k.bool("use_sliding_window", false)) {
            throw k.error("use_sliding_window", "Qwen2's per-layer sliding window is not supported");
        }
        RopeScaling rope = ropeScaling(k, maxPos);
        if (heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0) {
            throw k.error("num_key_value_heads", kvHeads + " does not divide num_attention_heads " + heads);
        }
        if (headDim % 2 != 0) {
            throw k.error("head_dim", "RoPE needs an even head dimension, got " + headDim);
        }
        return new TextConfig(type, vocab, hidden, intermediate, layers, heads, kvHeads, headDim, eps, theta, rope, act,
                qkvBias, outputBias, mlpBias, tie, maxPos, window);
    }

    private static RopeScaling ropeScaling(Keys k, int maxPositions) {
        JsonNode scaling = k.node("rope_scaling");
        if (scaling.isMissingNode() || scaling.isNull()) {
            return RopeScaling.NONE;
        }
        if (!scaling.isObject()) {
            throw k.error("rope_scaling", "must be an object or null");
        }
        String type = scaling.path("rope_type").asText(scaling.path("type").asText("default"));
        double factor = scaling.path("factor").asDouble(1.0);
        switch (type) {
            case "default":
                return RopeScaling.NONE;
            case "linear":
                return new RopeScaling("linear", factor, 1.0, 4.0, maxPositions);
            case "llama3":
                for (String key : new String[] {"factor", "low_freq_factor", "high_freq_factor",
                        "original_max_position_embeddings"}) {
                    if (!scaling.path(key).isNumber()) {
                        throw k.error("rope_scaling", "llama3 scaling needs a number for " + key);
                    }
                }
                return new RopeScaling("llama3", factor, scaling.get("low_freq_factor").asDouble(),
                        scaling.get("high_freq_factor").asDouble(), scaling.get("original_max_position_embeddings").asInt());
            default:
                throw k.error("rope_scaling", "rope type '" + type + "' is not supported (default, linear, llama3)");
        }
    }

    private static TextConfig withTie(TextConfig t, boolean tie) {
        return new TextConfig(t.modelType(), t.vocabSize(), t.hiddenSize(), t.intermediateSize(), t.numLayers(),
                t.numHeads(), t.numKvHeads(), t.headDim(), t.rmsNormEps(), t.ropeTheta(), t.ropeScaling(), t.hiddenAct(),
                t.qkvBias(),
                t.outputBias(), t.mlpBias(), tie, t.maxPositionEmbeddings(), t.slidingWindow());
    }

    private static VisionConfig vision(Keys k, String type, boolean llavaDefault) {
        boolean clip = type.equals("clip_vision_model");
        // LlavaConfig without vision_config builds the CLIP ViT-L/14-336 tower
        int hidden = k.integer("hidden_size", llavaDefault ? 1024 : 768);
        int intermediate = k.integer("intermediate_size", llavaDefault ? 4096 : 3072);
        int layers = k.integer("num_hidden_layers", llavaDefault ? 24 : 12);
        int heads = k.integer("num_attention_heads", llavaDefault ? 16 : 12);
        int imageSize = k.integer("image_size", llavaDefault ? 336 : 224);
        int patch = k.integer("patch_size", llavaDefault ? 14 : clip ? 32 : 16);
        int channels = k.integer("num_channels", 3);
        String act = k.string("hidden_act", clip ? "quick_gelu" : "gelu_pytorch_tanh");
        double eps = k.number("layer_norm_eps", clip ? 1e-5 : 1e-6);
        if (patch <= 0 || imageSize % patch != 0) {
            throw k.error("patch_size", patch + " does not divide image_size " + imageSize);
        }
        if (heads <= 0 || hidden % heads != 0) {
            throw k.error("num_attention_heads", heads + " does not divide hidden_size " + hidden);
        }
        return new VisionConfig(type, hidden, intermediate, layers, heads, imageSize, patch, channels, act, eps);
    }

    /**
     * Bounds on sizes no real checkpoint comes near (min..max), so a typo or a hostile config fails at the key instead
     * of as a tensor shape or an allocation later. Keys not listed must fit an int.
     */
    private static final Map<String, long[]> SANE = Map.ofEntries(
            Map.entry("vocab_size", new long[] {1, 1 << 24}),
            Map.entry("hidden_size", new long[] {1, 1 << 16}),
            Map.entry("intermediate_size", new long[] {1, 1 << 20}),
            Map.entry("num_hidden_layers", new long[] {1, 1024}),
            Map.entry("num_attention_heads", new long[] {1, 1024}),
            Map.entry("num_key_value_heads", new long[] {1, 1024}),
            Map.entry("head_dim", new long[] {1, 1 << 12}),
            Map.entry("max_position_embeddings", new long[] {1, 1 << 24}),
            Map.entry("sliding_window", new long[] {1, 1 << 24}),
            Map.entry("image_size", new long[] {1, 1 << 14}),
            Map.entry("patch_size", new long[] {1, 1 << 10}),
            Map.entry("num_channels", new long[] {1, 16}),
            Map.entry("image_token_index", new long[] {0, 1 << 24}),
            Map.entry("image_token_id", new long[] {0, 1 << 24}));

    /** Typed access to one JSON object of config.json, with errors that name the file and the key path. */
    private record Keys(Path file, String prefix, JsonNode node) {

        Keys child(String key) {
            JsonNode c = node.path(key);
            if (c.isMissingNode() || c.isNull()) {
                return new Keys(file, prefix + key + ".", new ObjectMapper().createObjectNode());
            }
            if (!c.isObject()) {
                throw error(key, "must be an object");
            }
            return new Keys(file, prefix + key + ".", (ObjectNode) c);
        }

        boolean has(String key) {
            JsonNode v = node.path(key);
            return !v.isMissingNode() && !v.isNull();
        }

        JsonNode node(String key) {
            return node == null ? MissingNode.getInstance() : node.path(key);
        }

        String string(String key, String fallback) {
            if (!has(key)) {
                return fallback;
            }
            JsonNode v = node.get(key);
            if (!v.isTextual()) {
                throw error(key, "must be a string");
            }
            return v.asText();
        }

        /** Read as 64-bit and checked against {@link #SANE} (or the int range), so a huge value is named, never truncated. */
        int integer(String key, int fallback) {
            if (!has(key)) {
                return fallback;
            }
            JsonNode v = node.get(key);
            if (!v.isIntegralNumber()) {
                throw error(key, "must be an integer, got " + v);
            }
            long[] range = SANE.getOrDefault(key, new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE});
            if (!v.canConvertToLong() || v.asLong() < range[0] || v.asLong() > range[1]) {
                throw error(key, v + " is outside the sane range " + range[0] + ".." + range[1]);
            }
            return (int) v.asLong();
        }

        double number(String key, double fallback) {
            if (!has(key)) {
                return fallback;
            }
            JsonNode v = node.get(key);
            if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                throw error(key, "must be a finite number, got " + v);
            }
            return v.asDouble();
        }

        boolean bool(String key, boolean fallback) {
            if (!has(key)) {
                return fallback;
            }
            JsonNode v = node.get(key);
            if (!v.isBoolean()) {
                throw error(key, "must be true or false, got " + v);
            }
            return v.asBoolean();
        }

        ModelLoadException error(String key, String problem) {
            return new ModelLoadException(file + ": " + prefix + key + ": " + problem);
        }
    }
}
