package taskvec.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import taskvec.model.arch.CausalDecoder;
import taskvec.model.arch.VisionTower;
import taskvec.model.arch.Weights;
import taskvec.model.arch.clip.ClipVisionTower;
import taskvec.model.arch.llama.LlamaDecoderLoader;
import taskvec.model.arch.llama.LlamaWeightNames;
import taskvec.model.arch.llava.ImageFeatureSelector;
import taskvec.model.arch.llava.LlavaImageEncoder;
import taskvec.model.arch.llava.LlavaProjector;
import taskvec.model.arch.llava.LlavaWeightNames;
import taskvec.model.arch.siglip.SiglipVisionTower;
import taskvec.model.config.ConfigReader;
import taskvec.model.config.LlavaConfig;
import taskvec.model.config.ModelConfig;
import taskvec.model.config.TextConfig;
import taskvec.model.config.VisionConfig;
import taskvec.model.generate.BatchRunner;
import taskvec.model.hooks.HookPoints;
import taskvec.model.image.PixelValues;
import taskvec.model.safetensors.CheckpointFiles;
import taskvec.model.tokenizer.HfPromptTokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A Hugging Face model folder loaded for running: LLaVA (CLIP or SigLIP tower, projector, Llama/Mistral/Qwen2
 * decoder) or a Llama/Mistral/Qwen2 causal LM. All work goes through {@link #run}.
 */
public final class LoadedModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoadedModel.class);

    private final Path modelDir;
    private final ModelConfig config;
    private final NDManager manager;
    private final CausalDecoder decoder;
    private final LlavaImageEncoder imageEncoder; // null for text-only models
    private final HfPromptTokenizer tokenizer;
    private final BatchRunner runner;
    private final ModelInfo info;

    private LoadedModel(Path modelDir, ModelConfig config, NDManager manager, CausalDecoder decoder,
                        LlavaImageEncoder imageEncoder, HfPromptTokenizer tokenizer, ModelInfo info) {
        this.modelDir = modelDir;
        this.config = config;
        this.manager = manager;
        this.decoder = decoder;
        this.imageEncoder = imageEncoder;
        this.tokenizer = tokenizer;
        this.info = info;
        int imageTokenId = config.llava().map(LlavaConfig::imageTokenId).orElse(-1);
        int offset = config.llava().map(l -> l.dropsFirstToken() ? 1 : 0).orElse(0);
        this.runner = new BatchRunner(decoder, imageEncoder, imageTokenId, config.imageFeatureCount(), offset, manager);
    }

    /** Loads a local model folder (never the network). Throws ModelLoadException naming the file and problem. */
    public static LoadedModel load(Path modelDir, RuntimeSettings settings) {
        if (!Files.isDirectory(modelDir)) {
            throw new ModelLoadException(modelDir + ": not a folder");
        }
        ModelConfig config = ConfigReader.read(modelDir);
        Device device = settings.djlDevice();
        DataType dtype = settings.djlDataType();
        CheckpointFiles checkpoint;
        try {
            checkpoint = CheckpointFiles.open(modelDir);
        } catch (ModelLoadException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelLoadException(modelDir + ": the checkpoint cannot be opened: " + e.getMessage(), e);
        }
        NDManager manager = NDManager.newBaseManager(device, "PyTorch");
        try {
            Weights weights = new Weights(checkpoint, modelDir, manager, dtype, device);
            TextConfig text = config.text();
            CausalDecoder decoder;
            LlavaImageEncoder images = null;
            if (config.llava().isPresent()) {
                LlavaConfig llava = config.llava().get();
                VisionConfig vision = config.vision().get();
                LlavaWeightNames names = LlavaWeightNames.detect(checkpoint::has);
                decoder = LlamaDecoderLoader.load(weights, text, names.decoder());
                ImageFeatureSelector selector = new ImageFeatureSelector(llava.visionFeatureLayers(), llava.dropsFirstToken());
                VisionTower tower = vision.isClip()
                        ? ClipVisionTower.load(weights, names.visionModel(), vision)
                        : SiglipVisionTower.load(weights, names.visionModel(), vision);
                LlavaProjector projector = LlavaProjector.load(weights, names.projector(),
                        (long) vision.hiddenSize() * llava.visionFeatureLayers().length, text.hiddenSize(),
                        llava.projectorHiddenAct(), llava.projectorBias());
                images = new LlavaImageEncoder(tower, selector, projector);
            } else {
                decoder = LlamaDecoderLoader.load(weights, text, LlamaWeightNames.causalLm());
            }
            Set<String> unused = weights.unused();
            if (!unused.isEmpty()) {
                LOG.info("{}: {} checkpoint tensor(s) not used by the model: {}", modelDir, unused.size(), unused);
            }
            int imageTokenId = config.llava().map(LlavaConfig::imageTokenId).orElse(-1);
            HfPromptTokenizer tokenizer = HfPromptTokenizer.load(modelDir, imageTokenId);
            ModelInfo info = new ModelInfo(config.modelType(), text.modelType(), text.numLayers(), text.hiddenSize(),
                    text.vocabSize(), text.numHeads(), text.numKvHeads(), dtype.name().toLowerCase(),
                    device.toString(), weights.parameterCount(), config.hasVision(), imageTokenId,
                    config.imageFeatureCount());
            return new LoadedModel(modelDir, config, manager, decoder, images, tokenizer, info);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public ModelInfo info() {
        return info;
    }

    public ModelConfig config() {
        return config;
    }

    public Path modelDir() {
        return modelDir;
    }

    public int numLayers() {
        return info.numLayers();
    }

    public int hiddenSize() {
        return info.hiddenSize();
    }

    public PromptTokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * Tokenizes (BOS as the folder's tokenizer says) and expands each image placeholder into imageFeatureCount
     * image-token ids. Images must already be preprocessed (one per placeholder, in order).
     */
    public EncodedPrompt encode(String text, List<PixelValues> pixels) {
        PromptTokenizer.Encoding e = tokenizer.encode(text);
        int imageId = info.imageTokenId();
        int placeholders = 0;
        for (int id : e.ids()) {
            if (imageId >= 0 && id == imageId) {
                placeholders++;
            }
        }
        if (placeholders != pixels.size()) {
            throw new IllegalArgumentException("the prompt has " + placeholders + " image placeholder(s) "
                    + (imageId >= 0 ? "'" + tokenizer.imagePlaceholder() + "' " : "") + "but " + pixels.size()
                    + " image(s) were given");
        }
        int n = info.imageFeatureCount();
        int length = e.ids().length + placeholders * (n - 1);
        int[] ids = new int[length];
        String[] tokens = new String[length];
        int k = 0;
        for (int i = 0; i < e.ids().length; i++) {
            int copies = imageId >= 0 && e.ids()[i] == imageId ? n : 1;
            for (int c = 0; c < copies; c++, k++) {
                ids[k] = e.ids()[i];
                tokens[k] = e.tokens()[i];
            }
        }
        return new EncodedPrompt(ids, tokens, pixels);
    }

    /** Every hook site in the order a forward pass reaches it. */
    public List<taskvec.model.hooks.HookName> hookNames() {
        return runner.hookOrder(config.vision().map(v -> v.numChannels()).orElse(3),
                config.vision().map(v -> v.imageSize()).orElse(0));
    }

    /** Runs rows (see model-api.md) and returns one result per row, in order. */
    public List<RowResult> run(List<Row> rows) {
        return runner.run(rows);
    }

    /** Final norm then LM head for one residual-stream vector (length hiddenSize): float32 logits. */
    public float[] logitsOf(float[] residual) {
        if (residual.length != hiddenSize()) {
            throw new IllegalArgumentException("residual has length " + residual.length + ", the model's hidden size is "
                    + hiddenSize());
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(residual, new Shape(1, 1, residual.length))
                    .toType(decoder.embedTable().getDataType(), false);
            return decoder.logits(x, 0, HookPoints.NONE).toType(DataType.FLOAT32, false)
                    .toDevice(Device.cpu(), false).toFloatArray();
        }
    }

    /** Final norm, LM head, softmax: top-k tokens with probabilities, and the probabilities of tokenIds. */
    public LensResult logitLens(float[] residual, int topK, int[] tokenIds) {
        float[] logits = logitsOf(residual);
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] p = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        Integer[] order = new Integer[logits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        double total = sum;
        Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
        int k = Math.min(Math.max(topK, 0), logits.length);
        int[] topIds = new int[k];
        float[] topProbs = new float[k];
        for (int i = 0; i < k; i++) {
            topIds[i] = order[i];
            topProbs[i] = (float) (p[order[i]] / total);
        }
        int[] ids = tokenIds == null ? new int[0] : tokenIds;
        float[] probs = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= logits.length) {
                throw new IllegalArgumentException("token id " + ids[i] + " is outside the vocabulary of " + logits.length);
            }
            probs[i] = (float) (p[ids[i]] / total);
        }
        return new LensResult(topIds, topProbs, probs);
    }

    @Override
    public void close() {
        tokenizer.close();
        manager.close();
    }
}
