package taskvec.study.prompt;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import taskvec.model.EncodedPrompt;
import taskvec.model.LoadedModel;
import taskvec.model.PromptTokenizer;
import taskvec.study.StudyInputException;
import taskvec.study.data.Dataset;

/**
 * Tokenizes planned prompts with one model and resolves their positions. Positions come from the
 * tokenizer alone (each image placeholder expanded to the model's feature count), so prompts can
 * be listed before any image exists; {@link #encode} then runs the model's own
 * {@link LoadedModel#encode} with the images and checks it gives exactly the ids the positions
 * were resolved on.
 */
public final class PromptEncoder {
    private final LoadedModel model;
    private final Dataset dataset;
    private final Integer preResizeWidth;
    private final int imageTokenId;
    private final int featureCount;

    /** @param preResizeWidth the width images are resized to first (aspect kept), or null */
    public PromptEncoder(LoadedModel model, Dataset dataset, Integer preResizeWidth) {
        this.model = model;
        this.dataset = dataset;
        this.preResizeWidth = preResizeWidth;
        this.imageTokenId = model.info().hasVision() ? model.info().imageTokenId() : -1;
        this.featureCount = model.info().hasVision() ? model.info().imageFeatureCount() : 0;
    }

    public String imagePlaceholder() {
        return model.tokenizer().imagePlaceholder();
    }

    /** Tokenizes and resolves the read (if any) and write positions; a StudyInputException if either is not ':'. */
    public ResolvedPrompt resolve(PlannedPrompt p) {
        PromptTokenizer tok = model.tokenizer();
        PromptTokenizer.Encoding enc = tok.encode(p.text());
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
            PositionResolver.Position r = PositionResolver.read(p.describe(), ids, tokens, tok.encode(p.readPrefix()).ids(),
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

    /**
     * The model-ready prompt (ids expanded, images preprocessed). Fails if the runtime's expansion
     * differs from the one the positions were resolved on.
     */
    public EncodedPrompt encode(ResolvedPrompt r) {
        List<Path> images = new ArrayList<>();
        for (String image : r.plan().images()) {
            images.add(dataset.resolveImage(image));
        }
        EncodedPrompt e = model.encode(r.plan().text(), images,
                preResizeWidth == null ? OptionalInt.empty() : OptionalInt.of(preResizeWidth));
        if (!Arrays.equals(e.ids(), r.ids())) {
            throw new StudyInputException(r.plan().describe() + ": the model's encoding (" + e.ids().length
                    + " tokens) differs from the one the positions were resolved on (" + r.ids().length + " tokens)");
        }
        return e;
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
}
