package taskvec.model.family;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import taskvec.model.EncodedPrompt;
import taskvec.model.PromptTokenizer;
import taskvec.model.arch.CausalDecoder;
import taskvec.model.arch.ImageTokenMerger;
import taskvec.model.arch.Weights;
import taskvec.model.arch.idefics2.Idefics2Connector;
import taskvec.model.arch.idefics2.Idefics2VisionTower;
import taskvec.model.arch.llama.LlamaDecoderLoader;
import taskvec.model.arch.llama.LlamaWeightNames;
import taskvec.model.config.Idefics2Config;
import taskvec.model.config.ModelConfig;
import taskvec.model.hooks.HookPoints;
import taskvec.model.image.Idefics2ImageProcessor;
import taskvec.model.image.Idefics2ProcessorConfig;
import taskvec.model.image.ImagePreprocessor;
import taskvec.model.image.PixelValues;
import taskvec.model.layout.Idefics2Layout;
import taskvec.model.layout.PromptLayout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Idefics2 (HuggingFaceM4/idefics2-8b): each image's crops go through the NaViT vision tower, then the connector
 * (modality projection and perceiver) turns each crop into n_latents rows, which replace the {@code <image>} tokens
 * in prompt order; the decoder is a Llama-family decoder under {@code model.text_model.}, with {@code lm_head.weight}.
 */
public final class Idefics2Family implements ModelFamily {

    private static final String VISION = "model.vision_model.";
    private static final String CONNECTOR = "model.connector.";
    private static final LlamaWeightNames DECODER = new LlamaWeightNames("model.text_model.", "lm_head.weight");

    private final CausalDecoder decoder;
    private final Idefics2VisionTower tower;
    private final Idefics2Connector connector;
    private final Idefics2Layout layout;
    private final Idefics2ImageProcessor processor; // null: no preprocessor_config.json
    private final int imageTokenId;
    private final int channels;

    private Idefics2Family(CausalDecoder decoder, Idefics2VisionTower tower, Idefics2Connector connector,
                           Idefics2Layout layout, Idefics2ImageProcessor processor, int imageTokenId, int channels) {
        this.decoder = decoder;
        this.tower = tower;
        this.connector = connector;
        this.layout = layout;
        this.processor = processor;
        this.imageTokenId = imageTokenId;
        this.channels = channels;
    }

    /** The layout alone, from config.json, preprocessor_config.json (splitting) and the tokenizer (no weights). */
    public static Idefics2Layout layout(ModelConfig config, PromptTokenizer tokenizer, Path modelDir) {
        Idefics2Config c = config.idefics2().orElseThrow();
        Path processorFile = modelDir.resolve("preprocessor_config.json");
        int crops = Files.isRegularFile(processorFile) ? Idefics2ProcessorConfig.load(processorFile).cropsPerImage() : 0;
        return Idefics2Layout.of(tokenizer, modelDir.resolve("tokenizer.json"), c.imageTokenId(),
                c.perceiver().numLatents(), crops, processorFile);
    }

    public static Idefics2Family load(ModelConfig config, Weights weights, PromptTokenizer tokenizer, Path modelDir) {
        Idefics2Config c = config.idefics2().orElseThrow();
        CausalDecoder decoder = LlamaDecoderLoader.load(weights, c.text(), DECODER);
        Idefics2VisionTower tower = Idefics2VisionTower.load(weights, VISION, c.vision());
        Idefics2Connector connector = Idefics2Connector.load(weights, CONNECTOR, c);
        Path processorFile = modelDir.resolve("preprocessor_config.json");
        Idefics2ImageProcessor processor = Files.isRegularFile(processorFile)
                ? Idefics2ImageProcessor.forModel(Idefics2ProcessorConfig.load(processorFile), c.vision().patchSize())
                : null;
        return new Idefics2Family(decoder, tower, connector, layout(config, tokenizer, modelDir), processor,
                c.imageTokenId(), c.vision().numChannels());
    }

    @Override
    public PromptLayout layout() {
        return layout;
    }

    @Override
    public Optional<ImagePreprocessor> images() {
        return Optional.ofNullable(processor);
    }

    @Override
    public CausalDecoder decoder() {
        return decoder;
    }

    /**
     * Token embeddings, with the connector's rows at the {@code <image>} positions: every crop (prompt order) through
     * the vision tower on its own whole patches, then each crop's features through the connector.
     */
    @Override
    public NDArray embed(EncodedPrompt prompt, NDManager scope, HookPoints visionHooks) {
        int[] ids = prompt.ids();
        int[] positions = ImageTokenMerger.imagePositions(ids, imageTokenId);
        NDArray tokens = decoder.embed(ids, scope);                                           // (1, T, D)
        List<PixelValues> crops = prompt.images();
        if (positions.length == 0 && crops.isEmpty()) {
            return tokens;
        }
        if (positions.length != crops.size() * connector.numLatents()) {
            throw new IllegalArgumentException("the prompt has " + positions.length + " <image> positions but "
                    + crops.size() + " crop(s) of " + connector.numLatents() + " latents each");
        }
        List<NDArray> features = new ArrayList<>();
        for (PixelValues crop : crops) {
            NDArray pixels = scope.create(crop.data(), new Shape(1, crop.channels(), crop.height(), crop.width()));
            features.add(tower.encode(pixels, visionHooks));                                  // (1, S_i, Dv)
        }
        NDList latents = new NDList();
        for (NDArray f : features) {
            latents.add(connector.forward(f, visionHooks));                                   // (1, n, D)
        }
        NDArray rows = NDArrays.concat(latents, 1);                                           // (1, crops*n, D)
        long d = rows.getShape().get(2);
        return ImageTokenMerger.merge(tokens.get(0), rows.reshape(-1, d), positions)          // (T, D)
                .expandDims(0);                                                               // (1, T, D)
    }

    /** One blank crop of a single patch: the smallest input that passes every vision-side site. */
    @Override
    public void traceVisionHooks(NDManager scope, HookPoints recorder) {
        int p = tower.patchSize();
        connector.forward(tower.encode(scope.zeros(new Shape(1, channels, p, p)), recorder), recorder);
    }
}
