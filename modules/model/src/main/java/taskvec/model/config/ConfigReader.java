package taskvec.model.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import taskvec.model.ModelLoadException;

/**
 * Reads config.json into a {@link ModelConfig}, applying the Hugging Face defaults of each model type for keys
 * the file omits. Any problem is a {@link ModelLoadException} naming the file and the key.
 */
public final class ConfigReader {

    private static final Set<String> CAUSAL_LMS = Set.of("llama", "mistral", "qwen2");
    private static final Set<String> VISION_TOWERS = Set.of("clip_vision_model", "siglip_vision_model");
    /**
     * The hidden_act names the runtime implements (arch.Activations has one function for each, a test checks
     * both lists agree): the reader refuses any other before a weight is loaded.
     */
    public static final SortedSet<String> ACTIVATIONS = Collections.unmodifiableSortedSet(new TreeSet<>(Set.of(
            "silu", "swish", "gelu", "gelu_pytorch_tanh", "gelu_new", "gelu_fast", "quick_gelu", "relu", "relu2")));

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
        if (type.equals("fuyu")) {
            FuyuConfig fuyu = FuyuConfigReader.read(top);
            return new ModelConfig(file, type, fuyu.text().summary(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.of(fuyu));
        }
        if (type.equals("idefics2")) {
            Idefics2Config idefics2 = Idefics2ConfigReader.read(top);
            return new ModelConfig(file, type, idefics2.text(), Optional.of(idefics2.vision()), Optional.empty(),
                    Optional.of(idefics2), Optional.empty());
        }
        if (CAUSAL_LMS.contains(type)) {
            return new ModelConfig(file, type, text(new Keys(file, "", root), type), Optional.empty(), Optional.empty());
        }
        throw new ModelLoadException(file + ": unsupported model_type '" + type
                + "' (supported: llava, idefics2, fuyu, llama, mistral, qwen2)");
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
                activation(top, "projector_hidden_act", "gelu"),
                top.bool("multimodal_projector_bias", true));
        return new ModelConfig(file, "llava", text, Optional.of(vision), Optional.of(llava));
    }

    static TextConfig text(Keys k, String type) {
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
        String act = activation(k, "hidden_act", "silu");
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
        Rope rope = rope(k, 10000.0, maxPos);
        if (rope.partialRotaryFactor() != 1.0) {
            throw k.error("partial_rotary_factor", rope.partialRotaryFactor() + " is not supported for " + type
                    + " (the runtime rotates whole heads)");
        }
        if (heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0) {
            throw k.error("num_key_value_heads", kvHeads + " does not divide num_attention_heads " + heads);
        }
        if (headDim % 2 != 0) {
            throw k.error("head_dim", "RoPE needs an even head dimension, got " + headDim);
        }
        return new TextConfig(type, vocab, hidden, intermediate, layers, heads, kvHeads, headDim, eps, rope.theta(),
                rope.scaling(), act,
                qkvBias, outputBias, mlpBias, tie, maxPos, window);
    }

    /** RoPE settings as the runtime applies them; {@code partialRotaryFactor} is the share of each head rotated. */
    record Rope(double theta, RopeScaling scaling, double partialRotaryFactor) {
    }

    /**
     * RoPE from either layout transformers writes: transformers 5 keeps rope_theta, rope_type and the scaling fields
     * in one {@code rope_parameters} object; earlier versions keep {@code rope_theta} and {@code rope_scaling} beside
     * the other keys. Both read to the same settings. A rope_type the runtime does not implement is an error naming
     * the field, never a silent fallback to unscaled RoPE.
     */
    static Rope rope(Keys k, double defaultTheta, int maxPositions) {
        if (!k.has("rope_parameters")) {
            RopeScaling scaling = k.has("rope_scaling")
                    ? ropeScaling(k.child("rope_scaling"), maxPositions) : RopeScaling.NONE;
            return new Rope(k.number("rope_theta", defaultTheta), scaling, k.number("partial_rotary_factor", 1.0));
        }
        Keys p = k.child("rope_parameters");
        if (!p.has("rope_type") && !p.has("rope_theta")) {
            // transformers 5 writes one object per attention type for models that mix them (e.g. Gemma 3)
            throw k.error("rope_parameters", "needs rope_type and rope_theta (RoPE per attention type is not supported)");
        }
        double theta = p.number("rope_theta", k.number("rope_theta", defaultTheta));
        if (k.has("rope_theta") && k.number("rope_theta", theta) != theta) {
            throw k.error("rope_theta", k.number("rope_theta", theta) + " disagrees with rope_parameters.rope_theta " + theta);
        }
        return new Rope(theta, ropeScaling(p, maxPositions),
                p.number("partial_rotary_factor", k.number("partial_rotary_factor", 1.0)));
    }

    /** The scaling fields of a rope_scaling or rope_parameters object (same names in both). */
    private static RopeScaling ropeScaling(Keys s, int maxPositions) {
        String type = s.string("rope_type", s.string("type", "default"));
        String typeKey = s.has("rope_type") ? "rope_type" : "type";
        switch (type) {
            case "default":
                return RopeScaling.NONE;
            case "linear":
                return new RopeScaling("linear", required(s, "factor", type), 1.0, 4.0, maxPositions);
            case "llama3":
                return new RopeScaling("llama3", required(s, "factor", type), required(s, "low_freq_factor", type),
                        required(s, "high_freq_factor", type), (int) required(s, "original_max_position_embeddings", type));
            default:
                throw s.error(typeKey, "'" + type + "' is not supported (default, linear, llama3)");
        }
    }

    private static double required(Keys s, String key, String ropeType) {
        if (!s.has(key)) {
            throw s.error(key, "missing; " + ropeType + " RoPE scaling needs it");
        }
        return s.number(key, 0);
    }

    /** An activation name the runtime implements; any other is an error naming the field. */
    static String activation(Keys k, String key, String fallback) {
        String name = k.string(key, fallback);
        if (!ACTIVATIONS.contains(name)) {
            throw k.error(key, "activation '" + name + "' is not supported (" + String.join(", ", ACTIVATIONS) + ")");
        }
        return name;
    }

    static TextConfig withTie(TextConfig t, boolean tie) {
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
        String act = activation(k, "hidden_act", clip ? "quick_gelu" : "gelu_pytorch_tanh");
        double eps = k.number("layer_norm_eps", clip ? 1e-5 : 1e-6);
        if (patch <= 0 || imageSize % patch != 0) {
            throw k.error("patch_size", patch + " does not divide image_size " + imageSize);
        }
        if (heads <= 0 || hidden % heads != 0) {
            throw k.error("num_attention_heads", heads + " does not divide hidden_size " + hidden);
        }
        return new VisionConfig(type, hidden, intermediate, layers, heads, imageSize, patch, channels, act, eps);
    }
}
