package taskvec.model.layout;

import taskvec.model.PromptTokenizer;

import java.util.List;

/**
 * LLaVA's layout, and a text-only model's: the tokenizer's ids, with each image token repeated once per image
 * feature (the vision tower's token count after the select strategy). Text-only models have no image token.
 */
public final class RepeatedImageTokenLayout implements PromptLayout {

    private final PromptTokenizer tokenizer;
    private final int imageTokenId;    // -1: text only
    private final int tokensPerImage;

    public RepeatedImageTokenLayout(PromptTokenizer tokenizer, int imageTokenId, int tokensPerImage) {
        this.tokenizer = tokenizer;
        this.imageTokenId = imageTokenId;
        this.tokensPerImage = tokensPerImage;
    }

    public static RepeatedImageTokenLayout textOnly(PromptTokenizer tokenizer) {
        return new RepeatedImageTokenLayout(tokenizer, -1, 0);
    }

    @Override
    public String imagePlaceholder() {
        return imageTokenId < 0 ? null : tokenizer.imagePlaceholder();
    }

    @Override
    public boolean dependsOnImageSize() {
        return false;
    }

    @Override
    public TokenSequence layOut(String text, List<ImageSize> images) {
        PromptTokenizer.Encoding e = tokenizer.encode(text);
        int placeholders = 0;
        for (int id : e.ids()) {
            if (imageTokenId >= 0 && id == imageTokenId) {
                placeholders++;
            }
        }
        if (placeholders != images.size()) {
            throw new IllegalArgumentException(imageTokenId < 0 && !images.isEmpty()
                    ? "this model takes no images but " + images.size() + " were given"
                    : "the prompt has " + placeholders + " image placeholder(s) '" + tokenizer.imagePlaceholder()
                    + "' but " + images.size() + " image(s) were given");
        }
        int length = e.ids().length + placeholders * (tokensPerImage - 1);
        int[] ids = new int[length];
        String[] tokens = new String[length];
        int k = 0;
        for (int i = 0; i < e.ids().length; i++) {
            int copies = imageTokenId >= 0 && e.ids()[i] == imageTokenId ? tokensPerImage : 1;
            for (int c = 0; c < copies; c++, k++) {
                ids[k] = e.ids()[i];
                tokens[k] = e.tokens()[i];
            }
        }
        return new TokenSequence(ids, tokens);
    }
}
