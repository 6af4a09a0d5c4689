package taskvec.study.prompt;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import taskvec.model.PromptTokenizer;
import taskvec.model.config.ConfigReader;
import taskvec.model.config.ModelConfig;
import taskvec.model.family.ModelFamilies;
import taskvec.model.layout.ImageSize;
import taskvec.model.layout.PromptLayout;
import taskvec.model.layout.TokenSequence;
import taskvec.model.runtime.LoadedModel;
import taskvec.model.tokenizer.HfPromptTokenizer;
import taskvec.study.StudyInputException;

/**
 * What position resolution needs from a model: its tokenizer and its prompt layout (where the family's image
 * tokens go). Read from a loaded model, or from the folder's config.json and tokenizer.json alone (no weights), so
 * `taskvec prompts` is instant even for a 7B model. A layout whose token count depends on image sizes (Fuyu) reads
 * them from the image files' headers through {@link #withImageSizes}.
 */
public final class PromptTokens implements AutoCloseable {
    private final PromptTokenizer tokenizer;
    private final PromptLayout layout;
    private final Function<String, ImageSize> imageSizes; // null: sizes unknown (fine unless the layout needs them)
    private final AutoCloseable owned;

    private PromptTokens(PromptTokenizer tokenizer, PromptLayout layout, Function<String, ImageSize> imageSizes,
                         AutoCloseable owned) {
        this.tokenizer = tokenizer;
        this.layout = layout;
        this.imageSizes = imageSizes;
        this.owned = owned;
    }

    public static PromptTokens of(LoadedModel model) {
        return new PromptTokens(model.tokenizer(), model.layout(), null, null);
    }

    /** From config.json and tokenizer.json only (throws the runtime's ModelLoadException for a bad folder). */
    public static PromptTokens read(Path modelDir) {
        ModelConfig config = ConfigReader.read(modelDir);
        HfPromptTokenizer tokenizer = HfPromptTokenizer.load(modelDir, config.imageTokenId());
        return new PromptTokens(tokenizer, ModelFamilies.layout(config, tokenizer, modelDir), null, tokenizer);
    }

    /**
     * The same, with a way to learn each image's size (as the processor receives it) from its dataset path; the
     * returned object does not own the tokenizer.
     */
    public PromptTokens withImageSizes(Function<String, ImageSize> sizes) {
        return new PromptTokens(tokenizer, layout, sizes, null);
    }

    public PromptTokenizer tokenizer() {
        return tokenizer;
    }

    public String imagePlaceholder() {
        return layout.imagePlaceholder();
    }

    /** The prompt's tokens as the model runs them (for showing the layout). */
    public TokenSequence layOut(PlannedPrompt p) {
        return layOut(p, p.text(), sizes(p));
    }

    /** Lays the prompt out and resolves its read (if any) and write positions; a StudyInputException if either is not ':'. */
    public ResolvedPrompt resolve(PlannedPrompt p) {
        List<ImageSize> sizes = sizes(p);
        TokenSequence full = layOut(p, p.text(), sizes);
        Integer read = null;
        String readToken = null;
        if (p.hasReadPosition()) {
            int before = placeholders(p.readPrefix());
            PositionResolver.Position r = PositionResolver.read(p.describe(), full,
                    layOut(p, p.readPrefix(), sizes.subList(0, Math.min(before, sizes.size()))));
            read = r.index();
            readToken = r.token();
        }
        PositionResolver.Position w = PositionResolver.write(p.describe(), full);
        return new ResolvedPrompt(p, full.ids(), read, readToken, w.index(), w.token());
    }

    public List<ResolvedPrompt> resolveAll(List<PlannedPrompt> prompts) {
        List<ResolvedPrompt> out = new ArrayList<>(prompts.size());
        for (PlannedPrompt p : prompts) out.add(resolve(p));
        return out;
    }

    private TokenSequence layOut(PlannedPrompt p, String text, List<ImageSize> sizes) {
        try {
            return layout.layOut(text, sizes);
        } catch (IllegalArgumentException e) {
            throw new StudyInputException(p.describe() + ": " + e.getMessage(), e);
        }
    }

    private List<ImageSize> sizes(PlannedPrompt p) {
        List<ImageSize> sizes = new ArrayList<>();
        for (String image : p.images()) {
            if (layout.dependsOnImageSize()) {
                if (imageSizes == null) {
                    throw new IllegalStateException("this model's layout depends on image sizes: use withImageSizes");
                }
                ImageSize size = imageSizes.apply(image);
                try {
                    layout.checkImage(size);
                } catch (IllegalArgumentException e) {
                    throw new StudyInputException(p.describe() + ": image '" + image + "': " + e.getMessage(), e);
                }
                sizes.add(size);
            } else {
                sizes.add(new ImageSize(1, 1)); // any size: the layout does not read it
            }
        }
        return sizes;
    }

    private int placeholders(String text) {
        String placeholder = layout.imagePlaceholder();
        if (placeholder == null || placeholder.isEmpty()) return 0;
        int n = 0;
        for (int i = text.indexOf(placeholder); i >= 0; i = text.indexOf(placeholder, i + placeholder.length())) n++;
        return n;
    }

    @Override
    public void close() {
        if (owned == null) return;
        try {
            owned.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the tokenizer: " + e.getMessage(), e);
        }
    }
}
