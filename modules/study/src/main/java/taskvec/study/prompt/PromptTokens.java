package taskvec.study.prompt;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import taskvec.model.LoadedModel;
import taskvec.model.PromptTokenizer;
import taskvec.model.config.ConfigReader;
import taskvec.model.config.LlavaConfig;
import taskvec.model.config.ModelConfig;
import taskvec.model.tokenizer.HfPromptTokenizer;
import taskvec.study.StudyInputException;

/**
 * What position resolution needs from a model: its tokenizer, its image token and how many
 * positions each image expands to. Read from a loaded model, or from the folder's config.json and
 * tokenizer.json alone (no weights), so `taskvec prompts` is instant even for a 7B model.
 */
public final class PromptTokens implements AutoCloseable {
    private final PromptTokenizer tokenizer;
    private final int imageTokenId;
    private final int featureCount;
    private final AutoCloseable owned;

    private PromptTokens(PromptTokenizer tokenizer, int imageTokenId, int featureCount, AutoCloseable owned) {
        this.tokenizer = tokenizer;
        this.imageTokenId = imageTokenId;
        this.featureCount = featureCount;
        this.owned = owned;
    }

    public static PromptTokens of(LoadedModel model) {
        boolean vision = model.info().hasVision();
        return new PromptTokens(model.tokenizer(), vision ? model.info().imageTokenId() : -1,
                vision ? model.info().imageFeatureCount() : 0, null);
    }

    /** From config.json and tokenizer.json only (throws the runtime's ModelLoadException for a bad folder). */
    public static PromptTokens read(Path modelDir) {
        ModelConfig config = ConfigReader.read(modelDir);
        int imageTokenId = config.llava().map(LlavaConfig::imageTokenId).orElse(-1);
        HfPromptTokenizer tokenizer = HfPromptTokenizer.load(modelDir, imageTokenId);
        return new PromptTokens(tokenizer, imageTokenId, config.imageFeatureCount(), tokenizer);
    }

    public PromptTokenizer tokenizer() {
        return tokenizer;
    }

    public String imagePlaceholder() {
        return tokenizer.imagePlaceholder();
    }

    /** Tokenizes and resolves the read (if any) and write positions; a StudyInputException if either is not ':'. */
    public ResolvedPrompt resolve(PlannedPrompt p) {
        PromptTokenizer.Encoding enc = tokenizer.encode(p.text());
        int images = 0;
        for (int id : enc.ids()) if (id == imageTokenId) images++;
        if (images != p.images().size()) {
            throw new StudyInputException(p.describe() + ": the text has " + images + " image tokens but " + p.images().size() + " images");
        }
        int[] ids = PositionResolver.expand(enc.ids(), imageTokenId, featureCount);
        String[] tokens = expandTokens(enc, ids.length);
        Integer read = null;
        String readToken = null;
        if (p.hasReadPosition()) {
            PositionResolver.Position r = PositionResolver.read(p.describe(), ids, tokens, tokenizer.encode(p.readPrefix()).ids(),
                    imageTokenId, featureCount);
            read = r.index();
            readToken = r.token();
        }
        PositionResolver.Position w = PositionResolver.write(p.describe(), tokens);
        return new ResolvedPrompt(p, ids, read, readToken, w.index(), w.token());
    }

    public List<ResolvedPrompt> resolveAll(List<PlannedPrompt> prompts) {
        List<ResolvedPrompt> out = new ArrayList<>(prompts.size());
        for (PlannedPrompt p : prompts) out.add(resolve(p));
        return out;
    }

    private String[] expandTokens(PromptTokenizer.Encoding enc, int length) {
        String[] out = new String[length];
        int k = 0;
        for (int i = 0; i < enc.ids().length; i++) {
            int n = enc.ids()[i] == imageTokenId ? featureCount : 1;
            for (int j = 0; j < n; j++) out[k++] = enc.tokens()[i];
        }
        return out;
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
