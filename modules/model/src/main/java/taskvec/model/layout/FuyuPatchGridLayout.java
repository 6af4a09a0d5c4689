package taskvec.model.layout;

import taskvec.model.PromptTokenizer;
import taskvec.model.image.FuyuImageProcessor;

import java.nio.file.Path;

/**
 * What Fuyu's two layouts share: an image is written as its patch grid (rows of image tokens, each ending in
 * {@code |NEWLINE|}), so the layout depends on each image's size, and a new {@link FuyuPromptPieces} builds each
 * prompt. The subclasses say where the grids and the text go.
 */
abstract class FuyuPatchGridLayout implements PromptLayout {

    private final PromptTokenizer tokenizer;
    private final Path tokenizerFile;
    private final FuyuImageProcessor processor;
    private final int imageTokenId;

    FuyuPatchGridLayout(PromptTokenizer tokenizer, Path tokenizerFile, FuyuImageProcessor processor, int imageTokenId) {
        this.tokenizer = tokenizer;
        this.tokenizerFile = tokenizerFile;
        this.processor = processor;
        this.imageTokenId = imageTokenId;
        pieces(); // the tokenizer must have the tokens the layout writes
    }

    @Override
    public final String imagePlaceholder() {
        return FuyuPromptPieces.PLACEHOLDER;
    }

    @Override
    public final boolean dependsOnImageSize() {
        return true;
    }

    @Override
    public final void checkImage(ImageSize size) {
        FuyuPromptPieces.grid(processor, size);
    }

    /** A fresh builder for one prompt. */
    final FuyuPromptPieces pieces() {
        return new FuyuPromptPieces(tokenizer, tokenizerFile, processor, imageTokenId);
    }
}
