package taskvec.model.runtime;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import taskvec.model.EncodedPrompt;
import taskvec.model.LensResult;
import taskvec.model.ModelInfo;
import taskvec.model.ModelLoadException;
import taskvec.model.PromptTokenizer;
import taskvec.model.Row;
import taskvec.model.RowResult;
import taskvec.model.RuntimeSettings;
import taskvec.model.arch.CausalDecoder;
import taskvec.model.arch.Weights;
import taskvec.model.files.ModelFolder;
import taskvec.model.config.ModelConfig;
import taskvec.model.config.TextConfig;
import taskvec.model.family.ModelFamilies;
import taskvec.model.family.ModelFamily;
import taskvec.model.generate.BatchRunner;
import taskvec.model.generate.PromptBatching;
import taskvec.model.hooks.HookPoints;
import taskvec.model.image.ImagePreprocessor;
import taskvec.model.image.PixelValues;
import taskvec.model.layout.ImageSize;
import taskvec.model.layout.PromptLayout;
import taskvec.model.layout.TokenSequence;
import taskvec.model.safetensors.CheckpointFiles;
import taskvec.model.tokenizer.HfPromptTokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A Hugging Face model folder loaded for running: a vision-language model of a supported family (LLaVA) or a
 * Llama/Mistral/Qwen2 causal LM. The family ({@link ModelFamily}) owns the prompt layout and the input
 * embeddings; all work goes through {@link #run}.
 */
public final class LoadedModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoadedModel.class);

    private final Path modelDir;
    private final ModelConfig config;
    private final NDManager manager;
    private final ModelFamily family;
    private final HfPromptTokenizer tokenizer;
    private final BatchRunner runner;
    private final ModelInfo info;

    private LoadedModel(Path modelDir, ModelConfig config, NDManager manager, ModelFamily family,
                        HfPromptTokenizer tokenizer, ModelInfo info) {
        this.modelDir = modelDir;
        this.config = config;
        this.manager = manager;
        this.family = family;
        this.tokenizer = tokenizer;
        this.info = info;
        this.runner = new BatchRunner(family, config.text(), manager);
    }

    /** Loads a local model folder (never the network). Throws ModelLoadException naming the file and problem. */
    public static LoadedModel load(Path modelDir, RuntimeSettings settings) {
        if (!Files.isDirectory(modelDir)) {
            throw new ModelLoadException(modelDir + ": not a folder");
        }
        // config, weight files and tokenizer checked (with the conversion command when one is in another form)
        ModelConfig config = ModelFolder.check(modelDir).config();
        Device device = settings.djlDevice();
        DataType dtype = settings.djlDataType();
        if (device.isGpu()) {
            int gpus = ai.djl.engine.Engine.getEngine("PyTorch").getGpuCount();
            if (device.getDeviceId() >= gpus) {
                throw new IllegalArgumentException("device " + settings.device() + ": libtorch sees " + gpus
                        + " CUDA device(s); a GPU run needs a CUDA build of libtorch on the classpath"
                        + " (pytorch-native-cu* instead of pytorch-native-cpu) and a visible GPU");
            }
        }
        CheckpointFiles checkpoint;
        try {
            checkpoint = CheckpointFiles.open(modelDir);
        } catch (ModelLoadException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelLoadException(modelDir + ": the checkpoint cannot be opened: " + e.getMessage(), e);
        }
        NDManager manager = NDManager.newBaseManager(device, "PyTorch");
        // closing the checkpoint after loading is safe: an array that wraps a file mapping keeps the mapping alive
        try (checkpoint) {
            Weights weights = new Weights(checkpoint, modelDir, manager, dtype, device);
            TextConfig text = config.text();
            int imageTokenId = config.imageTokenId();
            HfPromptTokenizer tokenizer = HfPromptTokenizer.load(modelDir, imageTokenId);
            ModelFamily family = ModelFamilies.load(config, weights, checkpoint::has, tokenizer, modelDir);
            Set<String> unused = weights.unused();
            if (!unused.isEmpty()) {
                LOG.info("{}: {} checkpoint tensor(s) not used by the model: {}", modelDir, unused.size(), unused);
            }
            ModelInfo info = new ModelInfo(config.modelType(), text.modelType(), text.numLayers(), text.hiddenSize(),
                    text.vocabSize(), text.numHeads(), text.numKvHeads(), dtype.name().toLowerCase(),
                    device.isGpu() ? "cuda:" + device.getDeviceId() : "cpu", weights.parameterCount(), config.hasVision(), imageTokenId,
                    config.imageFeatureCount());
            return new LoadedModel(modelDir, config, manager, family, tokenizer, info);
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

    /** The family's image processor (from preprocessor_config.json), for vision-language models. */
    public Optional<ImagePreprocessor> imageProcessor() {
        return family.images();
    }

    /** How this model writes text and images as token ids. */
    public PromptLayout layout() {
        return family.layout();
    }

    /**
     * Lays the text out as the model's family does (BOS as the folder's tokenizer says; each image placeholder
     * becomes the family's image tokens) and preprocesses the images (one per placeholder, in order; optional
     * pre-resize width). Positions in the result are final.
     */
    public EncodedPrompt encode(String text, List<Path> images, OptionalInt preResizeWidth) {
        if (images.isEmpty()) {
            return encodePreprocessed(text, List.of());
        }
        ImagePreprocessor processor = family.images().orElseThrow(() -> new IllegalArgumentException(
                config.hasVision()
                        ? modelDir.resolve("preprocessor_config.json") + ": not found, so images cannot be preprocessed"
                        : modelDir + ": a " + info.modelType() + " model takes no images"));
        List<ImageSize> sizes = new ArrayList<>();
        List<PixelValues> pixels = new ArrayList<>();
        for (Path image : images) {
            sizes.add(ImageSize.of(image, preResizeWidth));
            pixels.addAll(processor.preprocess(image, preResizeWidth));
        }
        return laidOut(text, sizes, pixels);
    }

    /**
     * Like {@link #encode(String, List, OptionalInt)} with images already preprocessed: one tensor per
     * placeholder, in order, whose size stands for the image's.
     */
    public EncodedPrompt encodePreprocessed(String text, List<PixelValues> pixels) {
        List<ImageSize> sizes = pixels.stream().map(p -> new ImageSize(p.height(), p.width())).toList();
        return laidOut(text, sizes, pixels);
    }

    private EncodedPrompt laidOut(String text, List<ImageSize> sizes, List<PixelValues> pixels) {
        TokenSequence laid = family.layout().layOut(text, sizes);
        return new EncodedPrompt(laid.ids(), laid.tokens(), pixels);
    }

    /** Every hook site in the order a forward pass reaches it. */
    public List<taskvec.model.hooks.HookName> hookNames() {
        return runner.hookOrder();
    }

    /** How many distinct prompts may run in one padded batch (default: from the environment, see PromptBatching). */
    public void batching(PromptBatching batching) {
        runner.batching(batching);
    }

    /** Distinct prompts per padded batch for prompts of up to {@code tokens} tokens. */
    public int promptsPerBatch(int tokens) {
        return runner.promptsPerBatch(tokens);
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
            CausalDecoder decoder = family.decoder();
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

    /** Native arrays held by this model: the weights, plus anything a call failed to release (a leak). */
    int liveArrayCount() {
        return manager.getManagedArrays().size();
    }

    @Override
    public void close() {
        tokenizer.close();
        manager.close();
    }
}
