package taskvec.model.layout;

import taskvec.model.PromptTokenizer;
import taskvec.model.image.FuyuImageProcessor;

import java.nio.file.Path;
import java.util.List;

/**
 * Mantis' MFuyuProcessor layout (TIGER-Lab/Mantis-8B-Fuyu), any number of images: the text is split at each
 * placeholder; the segment before image j gets {@code "image j: "} appended (j from 0); each segment is tokenized
 * alone and, if it has tokens, starts with its own {@code <s>}; each image is {@code |IMAGE|}, its patch grid
 * (rows of image tokens, each ending in {@code |NEWLINE|}), {@code |ENDOFIMAGE|}. A prompt without images is its
 * text's tokens alone (MFuyuProcessor calls the tokenizer without special tokens). No {@code <0x04>} is added, so
 * a study prompt ends at its final {@code :}. Mantis adds {@code |IMAGE|} and {@code |ENDOFIMAGE|} to Fuyu's
 * vocabulary; a tokenizer without them cannot take this layout.
 */
public final class MantisFuyuLayout extends FuyuPatchGridLayout {

    public static final String IMAGE_START = "|IMAGE|";
    public static final String IMAGE_END = "|ENDOFIMAGE|";

    private final int startId;
    private final int endId;

    public MantisFuyuLayout(PromptTokenizer tokenizer, Path tokenizerFile, FuyuImageProcessor processor,
                            int imageTokenId) {
        super(tokenizer, tokenizerFile, processor, imageTokenId);
        FuyuPromptPieces p = pieces();
        String why = "Mantis adds it to Fuyu's vocabulary and writes it around every image";
        this.startId = p.required(IMAGE_START, why);
        this.endId = p.required(IMAGE_END, why);
    }

    /** Whether a tokenizer has Mantis' two image tokens (so a folder with it is laid out as Mantis does). */
    public static boolean fits(PromptTokenizer tokenizer) {
        return tokenizer.tokenId(IMAGE_START) >= 0 && tokenizer.tokenId(IMAGE_END) >= 0;
    }

    @Override
    public TokenSequence layOut(String text, List<ImageSize> images) {
        List<String> segments = FuyuPromptPieces.segments(text, images.size());
        FuyuPromptPieces p = pieces();
        if (images.isEmpty()) {
            return p.text(text).sequence();
        }
        for (int j = 0; j < segments.size(); j++) {
            boolean beforeImage = j < images.size();
            p.segment(beforeImage ? segments.get(j) + "image " + j + ": " : segments.get(j));
            if (beforeImage) {
                p.token(startId).image(images.get(j), j).token(endId);
            }
        }
        return p.sequence();
    }
}
