package taskvec.model.family;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import taskvec.model.EncodedPrompt;
import taskvec.model.ModelLoadException;
import taskvec.model.PromptTokenizer;
import taskvec.model.arch.CausalDecoder;
import taskvec.model.arch.Linear;
import taskvec.model.arch.Weights;
import taskvec.model.arch.ImageTokenMerger;
import taskvec.model.arch.fuyu.FuyuWeightNames;
import taskvec.model.arch.persimmon.PersimmonDecoderLoader;
import taskvec.model.config.FuyuConfig;
import taskvec.model.config.ModelConfig;
import taskvec.model.hooks.HookName;
import taskvec.model.hooks.HookPoints;
import taskvec.model.image.FuyuImageProcessor;
import taskvec.model.image.FuyuProcessorConfig;
import taskvec.model.image.ImagePreprocessor;
import taskvec.model.image.PixelValues;
import taskvec.model.layout.FuyuLayout;
import taskvec.model.layout.MantisFuyuLayout;
import taskvec.model.layout.PromptLayout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Fuyu (adept/fuyu-8b) and Mantis-Fuyu (TIGER-Lab/Mantis-8B-Fuyu): no vision tower; each image's patches
 * (row-major, flattened channel-last) pass one linear layer, {@code vision_embed_tokens}, and replace the image
 * tokens of the prompt in order, all images concatenated; {@code |NEWLINE|} keeps its token embedding; a Persimmon
 * decoder reads the result at positions 0..T-1. The prompt layout is the folder's: Mantis' when
 * preprocessor_config.json names MFuyuProcessor as its processor_class, Hugging Face's single-image one when it
 * names FuyuProcessor, else Mantis' if the tokenizer has Mantis' two image tokens.
 *
 * <p>Hook sites: {@code vision.hook_patches} (the patch matrix, (patches, p * p * C)) and {@code projector.hook_out}
 * (vision_embed_tokens' output, (patches, D)), then the decoder's.
 */
public final class FuyuFamily implements ModelFamily {

    public static final HookName PATCHES = new HookName("vision.hook_patches");
    public static final HookName PROJECTED = new HookName("projector.hook_out");
    static final String HF_PROCESSOR = "FuyuProcessor";
    static final String MANTIS_PROCESSOR = "MFuyuProcessor";

    private final CausalDecoder decoder;
    private final Linear visionEmbed;
    private final PromptLayout layout;
    private final FuyuImageProcessor processor;
    private final FuyuConfig config;

    private FuyuFamily(CausalDecoder decoder, Linear visionEmbed, PromptLayout layout, FuyuImageProcessor processor,
                       FuyuConfig config) {
        this.decoder = decoder;
        this.visionEmbed = visionEmbed;
        this.layout = layout;
        this.processor = processor;
        this.config = config;
    }

    /** The folder's layout from config.json, preprocessor_config.json and the tokenizer alone (no weights). */
    public static PromptLayout layout(ModelConfig config, PromptTokenizer tokenizer, Path modelDir) {
        return layout(config.fuyu().orElseThrow(), processor(config.fuyu().orElseThrow(), modelDir), tokenizer,
                modelDir);
    }

    private static PromptLayout layout(FuyuConfig fuyu, FuyuImageProcessor processor, PromptTokenizer tokenizer,
                                       Path modelDir) {
        Path tokenizerFile = modelDir.resolve("tokenizer.json");
        String named = processor.config().processorClass();
        boolean mantis = named == null ? MantisFuyuLayout.fits(tokenizer) : named.equals(MANTIS_PROCESSOR);
        if (named != null && !mantis && !named.equals(HF_PROCESSOR)) {
            throw new ModelLoadException(processor.config().source() + ": processor_class '" + named
                    + "' has no prompt layout here (" + HF_PROCESSOR + ", " + MANTIS_PROCESSOR + ")");
        }
        return mantis
                ? new MantisFuyuLayout(tokenizer, tokenizerFile, processor, fuyu.imageTokenId())
                : new FuyuLayout(tokenizer, tokenizerFile, processor, fuyu.imageTokenId());
    }

    public static FuyuFamily load(ModelConfig config, Weights weights, Predicate<String> hasTensor,
                                  PromptTokenizer tokenizer, Path modelDir) {
        FuyuConfig fuyu = config.fuyu().orElseThrow();
        FuyuImageProcessor processor = processor(fuyu, modelDir);
        FuyuWeightNames names = FuyuWeightNames.detect(hasTensor);
        if (!hasTensor.test(names.visionEmbed() + ".weight")) {
            // without it the model cannot see: say so before loading the decoder
            throw new ModelLoadException(modelDir + ": the checkpoint has no " + names.visionEmbed()
                    + ".weight, Fuyu's patch embedding (a Fuyu folder without its vision side?)");
        }
        Linear visionEmbed = Linear.load(weights, names.visionEmbed(), fuyu.patchValues(), fuyu.text().hiddenSize(),
                true);
        CausalDecoder decoder = PersimmonDecoderLoader.load(weights, fuyu.text(), names.decoder());
        return new FuyuFamily(decoder, visionEmbed, layout(fuyu, processor, tokenizer, modelDir), processor, fuyu);
    }

    /** The folder's Fuyu image processor; its patches must be the config's. */
    private static FuyuImageProcessor processor(FuyuConfig fuyu, Path modelDir) {
        Path file = modelDir.resolve("preprocessor_config.json");
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException(file + ": not found (Fuyu's prompt layout needs the processor's patch size"
                    + " and resize target)");
        }
        FuyuProcessorConfig processor = FuyuProcessorConfig.load(file);
        if (processor.patchHeight() != fuyu.patchSize() || processor.patchWidth() != fuyu.patchSize()) {
            throw new ModelLoadException(file + ": patch_size " + processor.patchHeight() + "x" + processor.patchWidth()
                    + " differs from config.json's patch_size " + fuyu.patchSize());
        }
        return new FuyuImageProcessor(processor);
    }

    @Override
    public PromptLayout layout() {
        return layout;
    }

    @Override
    public Optional<ImagePreprocessor> images() {
        return Optional.of(processor);
    }

    @Override
    public CausalDecoder decoder() {
        return decoder;
    }

    @Override
    public NDArray embed(EncodedPrompt prompt, NDManager scope, HookPoints visionHooks) {
        int[] ids = prompt.ids();
        int imageTokenId = config.imageTokenId();
        int[] slots = ImageTokenMerger.imagePositions(ids, imageTokenId);
        // HF embeds the image token too (it is in the vocabulary) before overwriting its slots
        NDArray tokens = decoder.embed(ids, scope);                                           // (1, T, D)
        if (slots.length == 0 && prompt.images().isEmpty()) {
            return tokens;
        }
        NDArray patches = visionHooks.at(PATCHES, patchMatrix(scope, prompt.images()), 0);    // (N, p*p*C)
        if (patches.getShape().get(0) != slots.length) {
            throw new IllegalArgumentException("the prompt has " + slots.length + " image-token slots but its "
                    + prompt.images().size() + " image(s) have " + patches.getShape().get(0) + " patches");
        }
        NDArray embedded = visionHooks.at(PROJECTED, visionEmbed.forward(patches), 0);        // (N, D)
        return ImageTokenMerger.merge(tokens.get(0), embedded, slots).expandDims(0);          // (1, T, D)
    }

    /** Every image's patches, row-major, flattened channel-last, images in prompt order: (N, p * p * C). */
    private NDArray patchMatrix(NDManager scope, List<PixelValues> images) {
        int p = config.patchSize();
        int width = config.patchValues();
        float[][] each = new float[images.size()][];
        int total = 0;
        for (int i = 0; i < images.size(); i++) {
            PixelValues px = images.get(i);
            if (px.channels() != config.numChannels()) {
                throw new IllegalArgumentException("image " + (i + 1) + " has " + px.channels()
                        + " channel(s); vision_embed_tokens takes " + config.numChannels());
            }
            each[i] = FuyuImageProcessor.patches(px, p, p);
            total += each[i].length;
        }
        float[] all = new float[total];
        int at = 0;
        for (float[] e : each) {
            System.arraycopy(e, 0, all, at, e.length);
            at += e.length;
        }
        return scope.create(all, new Shape(total / width, width)).toType(decoder.embedTable().getDataType(), false);
    }

    @Override
    public void traceVisionHooks(NDManager scope, HookPoints recorder) {
        NDArray patches = recorder.at(PATCHES,
                scope.zeros(new Shape(1, config.patchValues()), decoder.embedTable().getDataType()), 0);
        recorder.at(PROJECTED, visionEmbed.forward(patches), 0);
    }
}
