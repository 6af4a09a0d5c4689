package taskvec.organism.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import taskvec.model.safetensors.CheckpointFiles;
import taskvec.model.safetensors.DType;
import taskvec.model.safetensors.SafetensorsWriter;
import taskvec.organism.tokenizer.WordTokenizerJson;
import taskvec.organism.tokenizer.WordVocabulary;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The organism as an ordinary Hugging Face LLaVA model folder: config.json (llava, Llama text config with tied
 * embeddings, CLIP vision config), model.safetensors (F32), tokenizer.json, preprocessor_config.json, and
 * manifest.json (every setting, the seed, the code version, losses, accuracies, and the SHA-256 of every other
 * file). The organism's language model (text-only settings) is an ordinary LlamaForCausalLM folder instead:
 * config.json of model_type llama, the decoder's tensors under {@code model.*}, the same tokenizer, no image
 * processor. Also reads a folder's parameters back for the trainer's own forward pass.
 */
public final class OrganismFolder {

    public static final double RMS_EPS = 1e-5;
    /** Positions the rotary tables cover (config.json max_position_embeddings). */
    public static final int MAX_POSITIONS = 1024;
    public static final double LAYER_NORM_EPS = 1e-5;
    public static final String VISION_ACT = "quick_gelu";
    public static final String PROJECTOR_ACT = "gelu";
    public static final String MANIFEST = "manifest.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private OrganismFolder() {
    }

    /** Writes the model files, then the manifest (with the files' hashes added under "files"). */
    public static void write(Path dir, OrganismParameters params, OrganismSettings s, WordVocabulary vocab,
                             ObjectNode manifest) {
        try {
            Files.createDirectories(dir);
            boolean textOnly = s.textOnly();
            ObjectNode config = textOnly ? textConfig(s, vocab, languageModelConfig()) : config(s, vocab);
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), config);
            if (!textOnly) {
                JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("preprocessor_config.json").toFile(), preprocessor(s));
            }
            WordTokenizerJson.write(vocab, dir.resolve("tokenizer.json"));
            SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
            for (Map.Entry<String, OrganismParameters.Tensor> e : params.tensors().entrySet()) {
                w.add(storedName(e.getKey(), textOnly), DType.F32, e.getValue().shape(), e.getValue().values());
            }
            w.write(dir.resolve("model.safetensors"));
            ObjectNode files = manifest.putObject("files");
            for (String f : textOnly ? LANGUAGE_MODEL_FILES : VLM_FILES) {
                files.put(f, sha256(dir.resolve(f)));
            }
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(MANIFEST).toFile(), manifest);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot write the organism: " + e.getMessage(), e);
        }
    }

    private static final String[] VLM_FILES = {"config.json", "model.safetensors", "tokenizer.json", "preprocessor_config.json"};
    private static final String[] LANGUAGE_MODEL_FILES = {"config.json", "model.safetensors", "tokenizer.json"};

    /** A LlamaForCausalLM checkpoint keeps the decoder under model.*, where the LLaVA one has model.language_model.*. */
    private static final String LANGUAGE_MODEL_PREFIX = "model.";

    static String storedName(String name, boolean textOnly) {
        return textOnly ? LANGUAGE_MODEL_PREFIX + name.substring(OrganismParameters.TEXT.length()) : name;
    }

    private static ObjectNode languageModelConfig() {
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        return c;
    }

    static ObjectNode config(OrganismSettings s, WordVocabulary vocab) {
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add("LlavaForConditionalGeneration");
        c.put("model_type", "llava");
        c.put("image_token_index", vocab.id(WordVocabulary.IMAGE));
        c.put("image_seq_length", s.imageFeatureCount());
        c.put("vision_feature_layer", -1);
        c.put("vision_feature_select_strategy", "default");
        c.put("projector_hidden_act", PROJECTOR_ACT);
        c.put("multimodal_projector_bias", true);
        c.put("tie_word_embeddings", true);
        c.put("torch_dtype", "float32");
        textConfig(s, vocab, c.putObject("text_config"));
        visionConfig(s, c.putObject("vision_config"));
        return c;
    }

    /** The CLIP tower's configuration (a LLaVA vision_config, or a whole CLIPVisionModel config.json), into v. */
    private static ObjectNode visionConfig(OrganismSettings s, ObjectNode v) {
        v.put("model_type", "clip_vision_model");
        v.put("hidden_size", s.visionHiddenSize());
        v.put("intermediate_size", s.visionIntermediateSize());
        v.put("num_hidden_layers", s.visionLayers());
        v.put("num_attention_heads", s.visionHeads());
        v.put("image_size", s.imageSize());
        v.put("patch_size", s.patchSize());
        v.put("num_channels", 3);
        v.put("hidden_act", VISION_ACT);
        v.put("layer_norm_eps", LAYER_NORM_EPS);
        v.put("projection_dim", s.visionHiddenSize());
        return v;
    }

    /** The Llama decoder's configuration (a LLaVA text_config, or a whole LlamaForCausalLM config.json), into t. */
    private static ObjectNode textConfig(OrganismSettings s, WordVocabulary vocab, ObjectNode t) {
        t.put("model_type", "llama");
        t.put("vocab_size", vocab.size());
        t.put("hidden_size", s.hiddenSize());
        t.put("intermediate_size", s.intermediateSize());
        t.put("num_hidden_layers", s.numLayers());
        t.put("num_attention_heads", s.numHeads());
        t.put("num_key_value_heads", s.numHeads());
        t.put("max_position_embeddings", MAX_POSITIONS);
        t.put("rms_norm_eps", RMS_EPS);
        t.put("rope_theta", 10000.0);
        t.put("hidden_act", "silu");
        t.put("tie_word_embeddings", true);
        t.put("bos_token_id", vocab.id(WordVocabulary.BOS));
        t.put("eos_token_id", vocab.id(WordVocabulary.EOS));
        t.put("torch_dtype", "float32");
        return t;
    }

    static ObjectNode preprocessor(OrganismSettings s) {
        ObjectNode p = JSON.createObjectNode();
        p.put("image_processor_type", "CLIPImageProcessor");
        p.put("processor_class", "LlavaProcessor");
        p.put("do_resize", true);
        p.putObject("size").put("shortest_edge", s.imageSize());
        p.put("resample", 3);
        p.put("do_center_crop", true);
        p.putObject("crop_size").put("height", s.imageSize()).put("width", s.imageSize());
        p.put("do_rescale", true);
        p.put("rescale_factor", 1.0 / 255);
        p.put("do_normalize", true);
        ArrayNode mean = p.putArray("image_mean");
        ArrayNode std = p.putArray("image_std");
        for (int c = 0; c < 3; c++) {
            mean.add(EntityPixels.MEAN[c]);
            std.add(EntityPixels.STD[c]);
        }
        p.put("do_convert_rgb", true);
        return p;
    }

    /** The parameters stored in a folder's model.safetensors (as float arrays), in the organism's order. */
    public static OrganismParameters readParameters(Path dir, OrganismSettings s, int vocabSize) {
        OrganismParameters layout = OrganismParameters.initialize(s, vocabSize, new java.util.SplittableRandom(0));
        return load(dir, layout, name -> storedName(name, s.textOnly()), "the manifest's settings need ");
    }

    /** The tensors of layout's names (stored under storedName) with layout's shapes, or a clear error naming the file. */
    private static OrganismParameters load(Path dir, OrganismParameters layout, java.util.function.UnaryOperator<String> storedName,
                                           String needs) {
        Map<String, OrganismParameters.Tensor> out = new LinkedHashMap<>();
        try (CheckpointFiles ckpt = CheckpointFiles.open(dir); NDManager m = NDManager.newBaseManager()) {
            for (Map.Entry<String, OrganismParameters.Tensor> e : layout.tensors().entrySet()) {
                String stored = storedName.apply(e.getKey());
                if (!ckpt.has(stored)) {
                    throw new IllegalArgumentException(dir.resolve("model.safetensors") + ": tensor '" + stored + "' is missing");
                }
                NDArray a = ckpt.load(stored, m);
                if (!a.getShape().equals(new ai.djl.ndarray.types.Shape(e.getValue().shape()))) {
                    throw new IllegalArgumentException(dir.resolve("model.safetensors") + ": tensor '" + stored + "' has shape "
                            + a.getShape() + ", " + needs + new ai.djl.ndarray.types.Shape(e.getValue().shape()));
                }
                out.put(e.getKey(), new OrganismParameters.Tensor(e.getValue().shape(),
                        a.toType(DataType.FLOAT32, true).toFloatArray(), e.getValue().decays()));
            }
        }
        return OrganismParameters.of(out);
    }

    /** How a CLIPVisionModel checkpoint names the tower's tensors, where the LLaVA one has model.vision_tower.vision_model.*. */
    private static final String VISION_TOWER_PREFIX = "vision_model.";

    /**
     * Writes a vision tower alone as an ordinary Hugging Face CLIPVisionModel folder: config.json
     * (clip_vision_model), model.safetensors (vision_model.*), preprocessor_config.json, and the manifest (with the
     * files' hashes added). The settings are those of the VLM the tower belongs to.
     */
    public static void writeVisionTower(Path dir, OrganismParameters tower, OrganismSettings s, ObjectNode manifest) {
        try {
            Files.createDirectories(dir);
            ObjectNode config = JSON.createObjectNode();
            config.putArray("architectures").add("CLIPVisionModel");
            visionConfig(s, config);
            config.put("torch_dtype", "float32");
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), config);
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("preprocessor_config.json").toFile(), preprocessor(s));
            SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
            for (Map.Entry<String, OrganismParameters.Tensor> e : tower.only(OrganismParameters.VISION).tensors().entrySet()) {
                w.add(VISION_TOWER_PREFIX + e.getKey().substring(OrganismParameters.VISION.length()), DType.F32, e.getValue().shape(),
                        e.getValue().values());
            }
            w.write(dir.resolve("model.safetensors"));
            ObjectNode files = manifest.putObject("files");
            for (String f : new String[] {"config.json", "model.safetensors", "preprocessor_config.json"}) {
                files.put(f, sha256(dir.resolve(f)));
            }
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(MANIFEST).toFile(), manifest);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot write the vision tower: " + e.getMessage(), e);
        }
    }

    /** A vision tower folder's tensors under the organism's (LLaVA) names, checked against the VLM settings' shapes. */
    public static OrganismParameters readVisionTower(Path dir, OrganismSettings s) {
        if (!Files.isRegularFile(dir.resolve("model.safetensors"))) {
            throw new IllegalArgumentException(dir + ": no model.safetensors (not a vision tower folder)");
        }
        OrganismParameters layout = OrganismParameters.initialize(s, 1, new java.util.SplittableRandom(0)).only(OrganismParameters.VISION);
        return load(dir, layout, name -> VISION_TOWER_PREFIX + name.substring(OrganismParameters.VISION.length()), "the VLM needs ");
    }

    /** The settings a folder's manifest records. */
    public static OrganismSettings readSettings(Path dir) {
        Path file = dir.resolve(MANIFEST);
        try {
            JsonNode root = JSON.readTree(file.toFile());
            JsonNode settings = root.path("settings");
            if (settings.isObject() && !settings.has("trainingMix") && root.path("training_mix").isObject()) {
                // manifests written before the mix became a setting list it only under training_mix
                ArrayNode mix = ((ObjectNode) settings).putArray("trainingMix");
                root.path("training_mix").elements().forEachRemaining(mix::add);
            }
            return JSON.treeToValue(settings, OrganismSettings.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": cannot read the organism's settings: " + e.getMessage(), e);
        }
    }

    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot be read: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
