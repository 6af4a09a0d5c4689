package taskvec.model.layout;

import taskvec.model.ModelLoadException;
import taskvec.model.PromptTokenizer;
import taskvec.model.image.FuyuImageProcessor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What both Fuyu layouts are made of: an image's patch grid written row by row (one image token per patch, then
 * {@code |NEWLINE|}), the processor's {@code <s>}, special tokens by name, and text tokenized alone (no special
 * tokens: the layouts place {@code <s>} themselves). Collected into a {@link TokenSequence}.
 */
final class FuyuPromptPieces {

    static final String PLACEHOLDER = "<image>";

    private final PromptTokenizer tokenizer;
    private final Path tokenizerFile;
    private final FuyuImageProcessor processor;
    private final int imageTokenId;
    private final int newlineId;
    private final int bosId;
    private final List<Integer> ids = new ArrayList<>();
    private final List<String> tokens = new ArrayList<>();

    /** Pieces for one prompt; the tokenizer must have {@code |NEWLINE|} and {@code <s>}. */
    FuyuPromptPieces(PromptTokenizer tokenizer, Path tokenizerFile, FuyuImageProcessor processor, int imageTokenId) {
        this.tokenizer = tokenizer;
        this.tokenizerFile = tokenizerFile;
        this.processor = processor;
        this.imageTokenId = imageTokenId;
        this.newlineId = required("|NEWLINE|", "Fuyu ends every patch row with it");
        this.bosId = required("<s>", "Fuyu's processor starts the text with it");
    }

    /** The id of a token the layout cannot do without, else an error naming the tokenizer file. */
    int required(String token, String why) {
        int id = tokenizer.tokenId(token);
        if (id < 0) {
            throw new ModelLoadException(tokenizerFile + ": has no " + token + " token (" + why + ")");
        }
        return id;
    }

    FuyuPromptPieces bos() {
        return token(bosId);
    }

    FuyuPromptPieces token(int id) {
        ids.add(id);
        tokens.add(tokenizer.tokenText(id));
        return this;
    }

    /** The text's own tokens (no special tokens). */
    FuyuPromptPieces text(String text) {
        return append(tokenizer.encodeText(text));
    }

    /** The text as the folder's tokenizer encodes it alone, with whatever BOS it adds by default. */
    FuyuPromptPieces textWithDefaultSpecials(String text) {
        return append(tokenizer.encode(text));
    }

    /** A Mantis segment: {@code <s>} and the text's tokens, or nothing when the text has no tokens. */
    FuyuPromptPieces segment(String text) {
        PromptTokenizer.Encoding e = tokenizer.encodeText(text);
        return e.ids().length == 0 ? this : bos().append(e);
    }

    private FuyuPromptPieces append(PromptTokenizer.Encoding e) {
        for (int i = 0; i < e.ids().length; i++) {
            ids.add(e.ids()[i]);
            tokens.add(e.tokens()[i]);
        }
        return this;
    }

    /** Image k of the prompt (for errors): rows x (cols image tokens, then |NEWLINE|). */
    FuyuPromptPieces image(ImageSize size, int k) {
        FuyuImageProcessor.PatchGrid grid;
        try {
            grid = grid(processor, size);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("image " + (k + 1) + ": " + e.getMessage(), e);
        }
        for (int r = 0; r < grid.rows(); r++) {
            for (int c = 0; c < grid.cols(); c++) {
                token(imageTokenId);
            }
            token(newlineId);
        }
        return this;
    }

    /** The image's patch grid; an image smaller than one patch is an IllegalArgumentException. */
    static FuyuImageProcessor.PatchGrid grid(FuyuImageProcessor processor, ImageSize size) {
        try {
            return processor.grid(size.height(), size.width());
        } catch (taskvec.model.image.ImageInputException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    TokenSequence sequence() {
        return new TokenSequence(ids.stream().mapToInt(Integer::intValue).toArray(), tokens.toArray(String[]::new));
    }

    /** The text split at each placeholder: k placeholders give k + 1 segments; k must match the images. */
    static List<String> segments(String text, int images) {
        List<String> parts = Arrays.asList(text.split(java.util.regex.Pattern.quote(PLACEHOLDER), -1));
        if (parts.size() - 1 != images) {
            throw new IllegalArgumentException("the prompt has " + (parts.size() - 1) + " image placeholder(s) '"
                    + PLACEHOLDER + "' but " + images + " image(s) were given");
        }
        return parts;
    }
}
