package taskvec.model.family;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import taskvec.model.EncodedPrompt;
import taskvec.model.PromptTokenizer;
import taskvec.model.arch.CausalDecoder;
import taskvec.model.arch.VisionTower;
import taskvec.model.arch.Weights;
import taskvec.model.arch.clip.ClipVisionTower;
import taskvec.model.arch.llama.LlamaDecoderLoader;
import taskvec.model.arch.llava.ImageFeatureSelector;
import taskvec.model.arch.ImageTokenMerger;
import taskvec.model.arch.llava.LlavaImageEncoder;
import taskvec.model.arch.llava.LlavaProjector;
import taskvec.model.arch.llava.LlavaWeightNames;
import taskvec.model.arch.siglip.SiglipVisionTower;
import taskvec.model.config.ModelConfig;
import taskvec.model.config.LlavaConfig;
import taskvec.model.config.TextConfig;
import taskvec.model.config.VisionConfig;
import taskvec.model.hooks.HookPoints;
import taskvec.model.image.ImagePreprocessor;
import taskvec.model.image.PixelValues;
import taskvec.model.layout.PromptLayout;
import taskvec.model.layout.RepeatedImageTokenLayout;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * LLaVA: a CLIP or SigLIP tower, feature selection and the projector turn each image into a fixed number of
 * embeddings, which replace that many copies of the image token in the prompt.
 */
public final class LlavaFamily implements ModelFamily {

    private final CausalDecoder decoder;
    private final LlavaImageEncoder encoder;
    private final PromptLayout layout;
    private final ImagePreprocessor processor; // null: no preprocessor_config.json
    private final int imageTokenId;
    private final int featuresPerImage;
    private final VisionConfig vision;

    LlavaFamily(CausalDecoder decoder, LlavaImageEncoder encoder, PromptLayout layout, ImagePreprocessor processor,
                int imageTokenId, int featuresPerImage, VisionConfig vision) {
        this.decoder = decoder;
        this.encoder = encoder;
        this.layout = layout;
        this.processor = processor;
        this.imageTokenId = imageTokenId;
        this.featuresPerImage = featuresPerImage;
        this.vision = vision;
    }

    /** The layout alone, from config.json and the tokenizer (no weights). */
    public static PromptLayout layout(ModelConfig config, PromptTokenizer tokenizer) {
        return new RepeatedImageTokenLayout(tokenizer, config.llava().orElseThrow().imageTokenId(),
                config.imageFeatureCount());
    }

    public static LlavaFamily load(ModelConfig config, Weights weights, Predicate<String> hasTensor,
                                   PromptTokenizer tokenizer, ImagePreprocessor processor) {
        LlavaConfig llava = config.llava().orElseThrow();
        VisionConfig vision = config.vision().orElseThrow();
        TextConfig text = config.text();
        LlavaWeightNames names = LlavaWeightNames.detect(hasTensor);
        CausalDecoder decoder = LlamaDecoderLoader.load(weights, text, names.decoder());
        ImageFeatureSelector selector = new ImageFeatureSelector(llava.visionFeatureLayers(), llava.dropsFirstToken());
        VisionTower tower = vision.isClip()
                ? ClipVisionTower.load(weights, names.visionModel(), vision)
                : SiglipVisionTower.load(weights, names.visionModel(), vision);
        LlavaProjector projector = LlavaProjector.load(weights, names.projector(),
                (long) vision.hiddenSize() * llava.visionFeatureLayers().length, text.hiddenSize(),
                llava.projectorHiddenAct(), llava.projectorBias());
        return new LlavaFamily(decoder, new LlavaImageEncoder(tower, selector, projector), layout(config, tokenizer),
                processor, llava.imageTokenId(), config.imageFeatureCount(), vision);
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

    @Override
    public NDArray embed(EncodedPrompt prompt, NDManager scope, HookPoints visionHooks) {
        int[] ids = prompt.ids();
        int[] positions = ImageTokenMerger.imagePositions(ids, imageTokenId);
        long[] lookup = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            // image slots are overwritten below; the image id may lie outside the embedding table
            lookup[i] = ids[i] == imageTokenId ? 0 : ids[i];
        }
        NDArray tokens = decoder.embed(scope.create(lookup, new Shape(1, ids.length)));       // (1, T, D)
        if (positions.length == 0 && prompt.images().isEmpty()) {
            return tokens;
        }
        if (positions.length != prompt.images().size() * featuresPerImage) {
            throw new IllegalArgumentException("the prompt has " + positions.length + " image-token positions but "
                    + prompt.images().size() + " image(s) of " + featuresPerImage + " features each");
        }
        NDArray pixels = pixelArray(scope, prompt.images());                                   // (N, C, H, W)
        NDArray projected = encoder.encode(pixels, visionHooks);                               // (N, n, D)
        long d = projected.getShape().get(2);
        return ImageTokenMerger.merge(tokens.get(0), projected.reshape(-1, d), positions)     // (T, D)
                .expandDims(0);                                                                // (1, T, D)
    }

    @Override
    public void traceVisionHooks(NDManager scope, HookPoints recorder) {
        encoder.encode(scope.zeros(new Shape(1, vision.numChannels(), vision.imageSize(), vision.imageSize())),
                recorder);
    }

    /** Stacks same-sized images into (N, C, H, W). */
    static NDArray pixelArray(NDManager scope, List<PixelValues> pixels) {
        PixelValues first = pixels.get(0);
        int size = first.data().length;
        float[] all = new float[size * pixels.size()];
        for (int i = 0; i < pixels.size(); i++) {
            PixelValues p = pixels.get(i);
            if (p.channels() != first.channels() || p.height() != first.height() || p.width() != first.width()) {
                throw new IllegalArgumentException("all images of a LLaVA prompt must have the same size");
            }
            System.arraycopy(p.data(), 0, all, i * size, size);
        }
        return scope.create(all, new Shape(pixels.size(), first.channels(), first.height(), first.width()));
    }
}
