package taskvec.study.prompt;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import taskvec.model.EncodedPrompt;
import taskvec.model.layout.ImageSize;
import taskvec.model.runtime.LoadedModel;
import taskvec.study.StudyInputException;
import taskvec.study.data.Dataset;

/**
 * Tokenizes planned prompts with one loaded model and resolves their positions ({@link
 * PromptTokens}: the model's prompt layout, reading only image headers where the layout depends on
 * image sizes); {@link #encode} then runs the model's own {@link LoadedModel#encode} with the
 * images and checks it gives exactly the ids the positions were resolved on.
 */
public final class PromptEncoder {
    private final LoadedModel model;
    private final Dataset dataset;
    private final Integer preResizeWidth;
    private final PromptTokens tokens;

    /** @param preResizeWidth the width images are resized to first (aspect kept), or null */
    public PromptEncoder(LoadedModel model, Dataset dataset, Integer preResizeWidth) {
        this.model = model;
        this.dataset = dataset;
        this.preResizeWidth = preResizeWidth;
        OptionalInt width = preResizeWidth == null ? OptionalInt.empty() : OptionalInt.of(preResizeWidth);
        this.tokens = PromptTokens.of(model).withImageSizes(image -> ImageSize.of(dataset.resolveImage(image), width));
    }

    public String imagePlaceholder() {
        return tokens.imagePlaceholder();
    }

    public ResolvedPrompt resolve(PlannedPrompt p) {
        return tokens.resolve(p);
    }

    public List<ResolvedPrompt> resolveAll(List<PlannedPrompt> prompts) {
        return tokens.resolveAll(prompts);
    }

    /**
     * The model-ready prompt (ids expanded, images preprocessed). Fails if the runtime's expansion
     * differs from the one the positions were resolved on.
     */
    public EncodedPrompt encode(ResolvedPrompt r) {
        List<Path> images = new ArrayList<>();
        for (String image : r.plan().images()) images.add(dataset.resolveImage(image));
        EncodedPrompt e = model.encode(r.plan().text(), images,
                preResizeWidth == null ? OptionalInt.empty() : OptionalInt.of(preResizeWidth));
        if (!Arrays.equals(e.ids(), r.ids())) {
            throw new StudyInputException(r.plan().describe() + ": the model's encoding (" + e.ids().length
                    + " tokens) differs from the one the positions were resolved on (" + r.ids().length + " tokens)");
        }
        return e;
    }
}
