package taskvec.model.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A model folder's config.json: a causal LM (text only), LLaVA with a vision tower and a projector, Idefics2
 * with its NaViT vision tower and perceiver connector, or Fuyu (a Persimmon decoder reading image patches through
 * one linear layer).
 *
 * @param modelType the top-level model_type ("llava", "idefics2", "fuyu", "llama", "mistral", "qwen2")
 * @param text      the decoder's sizes (for Fuyu a summary of {@code fuyu.text()}, see
 *                  {@link PersimmonConfig#summary()})
 * @param vision    the vision tower of a vision-language model (none for Fuyu)
 * @param llava     LLaVA's feature selection and projector
 * @param idefics2  Idefics2's vision tower, perceiver and image token
 * @param fuyu      Fuyu's decoder and patch embedding
 */
public record ModelConfig(Path file, String modelType, TextConfig text, Optional<VisionConfig> vision,
                          Optional<LlavaConfig> llava, Optional<Idefics2Config> idefics2, Optional<FuyuConfig> fuyu) {

    /** A causal LM or LLaVA. */
    public ModelConfig(Path file, String modelType, TextConfig text, Optional<VisionConfig> vision,
                       Optional<LlavaConfig> llava) {
        this(file, modelType, text, vision, llava, Optional.empty(), Optional.empty());
    }

    /** Whether the model takes images (through a vision tower, or Fuyu's patch embedding). */
    public boolean hasVision() {
        return vision.isPresent() || fuyu.isPresent();
    }

    /** The id that stands for an image in the prompt's text, -1 for text-only models. */
    public int imageTokenId() {
        if (idefics2.isPresent()) {
            return idefics2.get().imageTokenId();
        }
        return fuyu.map(FuyuConfig::imageTokenId).orElse(llava.map(LlavaConfig::imageTokenId).orElse(-1));
    }

    /**
     * Image tokens each image (for Idefics2: each crop) expands to in the prompt, after LLaVA's select strategy
     * (0 for text-only models, and for Fuyu, whose count depends on each image's size: its layout says).
     */
    public int imageFeatureCount() {
        if (idefics2.isPresent()) {
            return idefics2.get().perceiver().numLatents();
        }
        if (vision.isEmpty()) {
            return 0;
        }
        int tokens = vision.get().tokensPerImage();
        return llava.get().dropsFirstToken() ? tokens - 1 : tokens;
    }

    /** What the folder is, in a few words, e.g. "llava (clip vision tower, llama decoder)". */
    public String architecture() {
        if (fuyu.isPresent()) {
            return modelType + " (linear patch embedding, no vision tower, persimmon decoder)";
        }
        if (idefics2.isPresent()) {
            return modelType + " (NaViT SigLIP vision tower, perceiver connector, " + text.modelType() + " decoder)";
        }
        return vision.map(v -> modelType + " (" + (v.isClip() ? "clip" : "siglip") + " vision tower, " + text.modelType()
                + " decoder)").orElse(modelType);
    }

    /** The vision side for a description (label -> text, in order): the tower, the connector, the image tokens. */
    public Map<String, String> visionSummary() {
        Map<String, String> lines = new LinkedHashMap<>();
        vision.ifPresent(v -> lines.put("vision", String.format(Locale.ROOT,
                "%d layers, width %d, %d heads, patch %d, %s", v.numLayers(), v.hiddenSize(), v.numHeads(),
                v.patchSize(), idefics2.isPresent()
                        ? "any image size on a " + v.patchesPerSide() + "x" + v.patchesPerSide() + " position table"
                        : v.imageSize() + "x" + v.imageSize() + " images")));
        idefics2.ifPresent(c -> {
            PerceiverConfig p = c.perceiver();
            lines.put("connector", String.format(Locale.ROOT,
                    "modality projection %d -> %d -> %d, perceiver of %d latents, depth %d, %d heads over %d key/value"
                            + " heads (head dim %d), rms_norm_eps %s", c.vision().hiddenSize(), c.text().intermediateSize(),
                    c.text().hiddenSize(), p.numLatents(), p.depth(), p.numHeads(), p.numKvHeads(), p.headDim(),
                    p.rmsNormEps()));
        });
        fuyu.ifPresent(f -> {
            PersimmonConfig t = f.text();
            lines.put("patches", String.format(Locale.ROOT, "%dx%d pixels x %d channels -> %d through vision_embed_tokens",
                    f.patchSize(), f.patchSize(), f.numChannels(), t.hiddenSize()));
            lines.put("decoder", String.format(Locale.ROOT, "LayerNorm eps %s, %s rotary dims of %d per head (theta %s),"
                            + " qk-layernorm %s, %s MLP", t.layerNormEps(), t.rotaryDim(), t.headDim(), t.ropeTheta(),
                    t.qkLayernorm() ? "on" : "off", t.hiddenAct()));
            lines.put("image token", f.imageTokenId() + ", one per patch, a row of ceil(w/p) then |NEWLINE|, ceil(h/p)"
                    + " rows (the image's size decides)");
        });
        if (vision.isPresent()) {
            lines.put("image token", imageTokenId() + ", " + imageFeatureCount() + " positions per "
                    + (idefics2.isPresent() ? "crop" : "image"));
        }
        return lines;
    }
}
