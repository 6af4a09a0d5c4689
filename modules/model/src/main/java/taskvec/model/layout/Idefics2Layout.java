package taskvec.model.layout;

import taskvec.model.ModelLoadException;
import taskvec.model.PromptTokenizer;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Idefics2's layout, as its processor writes a prompt: each image becomes {@code <fake_token_around_image>}, then
 * per crop n_latents {@code <image>} tokens and a {@code <fake_token_around_image>}; where images follow each other
 * directly the {@code <fake>} between them appears once. BOS and the text's tokens are the tokenizer's.
 */
public final class Idefics2Layout implements PromptLayout {

    public static final String FAKE_TOKEN = "<fake_token_around_image>";

    private final PromptTokenizer tokenizer;
    private final int imageTokenId;
    private final int fakeTokenId;
    private final int latentsPerCrop;
    private final int cropsPerImage;  // 0: unknown (no preprocessor_config.json), so images cannot be laid out
    private final Path processorConfig;

    private Idefics2Layout(PromptTokenizer tokenizer, int imageTokenId, int fakeTokenId, int latentsPerCrop,
                           int cropsPerImage, Path processorConfig) {
        this.tokenizer = tokenizer;
        this.imageTokenId = imageTokenId;
        this.fakeTokenId = fakeTokenId;
        this.latentsPerCrop = latentsPerCrop;
        this.cropsPerImage = cropsPerImage;
        this.processorConfig = processorConfig;
    }

    /**
     * @param tokenizerFile  named when the tokenizer lacks the fake token
     * @param cropsPerImage  1, or 5 with the processor's image splitting; 0 when processorConfig does not exist
     */
    public static Idefics2Layout of(PromptTokenizer tokenizer, Path tokenizerFile, int imageTokenId, int latentsPerCrop,
                                    int cropsPerImage, Path processorConfig) {
        int fake = tokenizer.tokenId(FAKE_TOKEN);
        if (fake < 0) {
            throw new ModelLoadException(tokenizerFile + ": has no " + FAKE_TOKEN
                    + " token, which Idefics2 writes around every image");
        }
        return new Idefics2Layout(tokenizer, imageTokenId, fake, latentsPerCrop, cropsPerImage, processorConfig);
    }

    @Override
    public String imagePlaceholder() {
        return tokenizer.tokenText(imageTokenId);
    }

    @Override
    public boolean dependsOnImageSize() {
        return false;
    }

    /** Tokens one image takes: its crops' latents and the fake tokens after each (plus one before, if not shared). */
    public int tokensPerImage() {
        return cropsPerImage * (latentsPerCrop + 1);
    }

    @Override
    public TokenSequence layOut(String text, List<ImageSize> images) {
        PromptTokenizer.Encoding e = tokenizer.encode(text);
        int placeholders = 0;
        for (int id : e.ids()) {
            if (id == imageTokenId) {
                placeholders++;
            }
        }
        if (placeholders != images.size()) {
            throw new IllegalArgumentException("the prompt has " + placeholders + " image placeholder(s) '"
                    + imagePlaceholder() + "' but " + images.size() + " image(s) were given");
        }
        if (placeholders > 0 && cropsPerImage == 0) {
            throw new IllegalArgumentException(processorConfig + ": not found, so how many crops an image becomes"
                    + " (do_image_splitting) is unknown");
        }
        int[] ids = new int[e.ids().length + placeholders * (tokensPerImage() + 1)];
        String[] tokens = new String[ids.length];
        String fakeText = tokenizer.tokenText(fakeTokenId);
        int k = 0;
        for (int i = 0; i < e.ids().length; i++) {
            if (e.ids()[i] != imageTokenId) {
                ids[k] = e.ids()[i];
                tokens[k++] = e.tokens()[i];
                continue;
            }
            if (k == 0 || ids[k - 1] != fakeTokenId) {
                // an image right before ends with a fake token, which this image shares (HF collapses <fake><fake>)
                ids[k] = fakeTokenId;
                tokens[k++] = fakeText;
            }
            for (int crop = 0; crop < cropsPerImage; crop++) {
                for (int j = 0; j < latentsPerCrop; j++) {
                    ids[k] = imageTokenId;
                    tokens[k++] = e.tokens()[i];
                }
                ids[k] = fakeTokenId;
                tokens[k++] = fakeText;
            }
        }
        return new TokenSequence(Arrays.copyOf(ids, k), Arrays.copyOf(tokens, k));
    }
}
