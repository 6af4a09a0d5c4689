package taskvec.model.layout;

import taskvec.model.PromptTokenizer;
import taskvec.model.image.FuyuImageProcessor;

import java.nio.file.Path;
import java.util.List;

/**
 * Hugging Face's FuyuProcessor layout (adept/fuyu-8b): at most one image, written first as its patch grid
 * (rows of image tokens, each row ending in {@code |NEWLINE|}), then {@code <s>} and the text's tokens, with the
 * image's placeholder taken out (FuyuProcessor puts the image before the text wherever the prompt mentions it).
 * A prompt without an image is the tokenizer's encoding with its default special tokens, as FuyuProcessor passes
 * text alone to the tokenizer.
 *
 * <p>FuyuProcessor also appends {@code <0x04>}, its beginning-of-answer token; this layout does not. The study
 * reads and writes at the delimiter right before the answer, and its demonstrations write the answer right after
 * {@code :}: a query must end the same way, so the token that predicts the answer is the query's final {@code :}
 * (as in Mantis' layout, which adds no {@code <0x04>}). A prompt that wants it writes {@code <0x04>} itself.
 */
public final class FuyuLayout extends FuyuPatchGridLayout {

    public FuyuLayout(PromptTokenizer tokenizer, Path tokenizerFile, FuyuImageProcessor processor, int imageTokenId) {
        super(tokenizer, tokenizerFile, processor, imageTokenId);
    }

    @Override
    public TokenSequence layOut(String text, List<ImageSize> images) {
        List<String> segments = FuyuPromptPieces.segments(text, images.size());
        if (images.size() > 1) {
            throw new IllegalArgumentException("Hugging Face's Fuyu layout takes one image per prompt, this one has "
                    + images.size() + "; several images need Mantis' layout (a tokenizer with |IMAGE| and |ENDOFIMAGE|)");
        }
        if (images.isEmpty()) {
            return pieces().textWithDefaultSpecials(text).sequence();
        }
        return pieces().image(images.get(0), 0).bos().text(String.join("", segments)).sequence();
    }
}
