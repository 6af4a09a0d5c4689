package taskvec.study.check;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import taskvec.model.PromptTokenizer;
import taskvec.model.config.ConfigReader;
import taskvec.model.image.ImageDecoder;
import taskvec.model.layout.ImageSize;
import taskvec.model.runtime.LoadedModel;
import taskvec.study.StudyInputException;
import taskvec.study.config.Study;
import taskvec.study.data.Dataset;
import taskvec.study.data.DatasetImporter;
import taskvec.study.data.Split;
import taskvec.study.data.TaskItem;
import taskvec.study.design.StudyPrompts;
import taskvec.study.prompt.Modality;
import taskvec.study.prompt.ModalityPair;
import taskvec.study.prompt.PlannedPrompt;
import taskvec.study.prompt.PromptPlanner;
import taskvec.study.prompt.PromptTokens;
import taskvec.study.prompt.ResolvedPrompt;
import taskvec.study.prompt.Specification;

/**
 * What a run needs from its inputs, checked before anything starts: every image its prompts show
 * decodes, every input, answer and instruction tokenizes without unknown tokens on every model of
 * the study, every prompt's read and write positions resolve, and every prompt with its answer fits
 * the model's context ({@code max_position_embeddings}). Otherwise these fail item by item in the
 * middle of a run.
 *
 * <p>All problems are collected, each naming the annotation file, the item and the problem, so
 * one pass over a broken dataset lists them all. Prompts are checked only when every item passed:
 * one bad answer would otherwise repeat in every prompt that shows it.
 */
public final class InputCheck {
    /** Problems printed in full; the rest are counted. */
    static final int SHOWN = 30;

    private final Study study;
    private final Dataset dataset;
    private final Set<String> problems = new LinkedHashSet<>();

    /**
     * A model of the study as the check sees it.
     *
     * @param role         "target" or "source", for messages
     * @param tokens       its tokenizer, image token and feature count
     * @param maxPositions its {@code max_position_embeddings}
     * @param target       the target runs every prompt and generates; the source (LLM->VLM) only captures its text prompts
     */
    public record CheckedModel(String role, PromptTokens tokens, int maxPositions, boolean target) {
        public static CheckedModel of(LoadedModel model, boolean target) {
            return new CheckedModel(target ? "target" : "source", PromptTokens.of(model),
                    model.config().text().maxPositionEmbeddings(), target);
        }

        /** From the folder's config.json and tokenizer.json alone (no weights); close its tokens when done. */
        public static CheckedModel read(Path modelDir, boolean target) {
            int maxPositions = ConfigReader.read(modelDir).text().maxPositionEmbeddings();
            return new CheckedModel(target ? "target" : "source", PromptTokens.read(modelDir), maxPositions, target);
        }
    }

    private InputCheck(Study study, Dataset dataset) {
        this.study = study;
        this.dataset = dataset;
    }

    /** Throws one StudyInputException listing every problem (the first {@value #SHOWN} in full), or returns. */
    public static void require(Study study, Dataset dataset, List<CheckedModel> models) {
        List<String> found = problems(study, dataset, models);
        if (found.isEmpty()) return;
        StringBuilder msg = new StringBuilder(study.file() + ": the study's inputs have " + found.size()
                + (found.size() == 1 ? " problem:" : " problems:"));
        for (String p : found.subList(0, Math.min(SHOWN, found.size()))) msg.append("\n  ").append(p);
        if (found.size() > SHOWN) msg.append("\n  ... and ").append(found.size() - SHOWN).append(" more");
        throw new StudyInputException(msg.toString());
    }

    /** Every problem, in the order found: images, then texts per item, then prompts (if the items passed). */
    public static List<String> problems(Study study, Dataset dataset, List<CheckedModel> models) {
        InputCheck check = new InputCheck(study, dataset);
        check.images();
        for (CheckedModel m : models) check.texts(m);
        if (check.problems.isEmpty()) {
            for (CheckedModel m : models) check.prompts(m);
        }
        return List.copyOf(check.problems);
    }

    /** Each image once (items may share one), when any modality pair shows images. */
    private void images() {
        if (study.modalityPairs().stream().noneMatch(p -> p.source() == Modality.IMAGE || p.target() == Modality.IMAGE)) return;
        Map<Path, String> decoded = new HashMap<>();
        forEachItem((file, item) -> {
            if (!item.hasImage()) {
                problems.add(file + ": item '" + item.id() + "': no image, but the study's image prompts show one");
                return;
            }
            String problem = decoded.computeIfAbsent(imagePath(item), InputCheck::decodeProblem);
            if (problem != null) problems.add(file + ": item '" + item.id() + "': image '" + item.image() + "': " + problem);
        });
    }

    private Path imagePath(TaskItem item) {
        return dataset.root().resolve(item.image()).normalize();
    }

    private static String decodeProblem(Path image) {
        try {
            ImageDecoder.decode(image);
            return null;
        } catch (RuntimeException e) {
            String msg = String.valueOf(e.getMessage());
            return msg.startsWith(image + ": ") ? msg.substring(image.toString().length() + 2) : msg;
        }
    }

    /**
     * The target: every answer, the inputs when a pair shows text, the instructions when it captures
     * them; the source (which captures text examples and instructions only): the same for what it shows.
     */
    private void texts(CheckedModel model) {
        boolean textShown = study.modalityPairs().stream().anyMatch(p -> p.source() == Modality.TEXT || p.target() == Modality.TEXT);
        boolean showsItems = model.target() || textSource() && study.specifications().textExamples();
        if (showsItems) {
            forEachItem((file, item) -> {
                String where = file + ": item '" + item.id() + "': ";
                text(model, where, "answer", item.output());
                if (textShown) text(model, where, "input", item.input());
            });
        }
        if (textSource() && study.specifications().instructionsEnabled()) {
            for (Map.Entry<String, String> e : study.specifications().instructions().entrySet()) {
                text(model, study.file() + ": specifications.instructions." + e.getKey() + ": ", "instruction", e.getValue());
            }
        }
    }

    private void text(CheckedModel model, String where, String what, String text) {
        PromptTokenizer tokenizer = model.tokens().tokenizer();
        PromptTokenizer.Encoding enc;
        try {
            enc = tokenizer.encode(text);
        } catch (RuntimeException e) {
            problems.add(where + what + " '" + text + "' cannot be tokenized by the " + model.role() + " model: " + e.getMessage());
            return;
        }
        int unknown = tokenizer.unknownTokenId();
        for (int i = 0; i < enc.ids().length; i++) {
            if (unknown >= 0 && enc.ids()[i] == unknown) {
                problems.add(where + what + " '" + text + "' has text the " + model.role() + " model's tokenizer does not know (it becomes "
                        + tokenizer.tokenText(unknown) + ")");
                return;
            }
        }
    }

    /** Positions resolve and the prompt fits: for the target with room for the answer, for the source (capture only) as it is. */
    private void prompts(CheckedModel model) {
        List<PlannedPrompt> prompts;
        try {
            prompts = model.target() ? StudyPrompts.of(study, dataset, model.tokens().imagePlaceholder(), StudyPrompts.Filter.ALL)
                    : sourcePrompts(model);
        } catch (StudyInputException e) {
            problems.add(e.getMessage());
            return;
        }
        int room = model.target() ? study.decoding().maxNewTokens() : 0;
        // layouts whose token count depends on image sizes (Fuyu) read them from the headers, after the pre-resize
        OptionalInt width = study.preResizeWidth() == null ? OptionalInt.empty() : OptionalInt.of(study.preResizeWidth());
        Map<String, ImageSize> sizes = new HashMap<>();
        PromptTokens tokens = model.tokens().withImageSizes(
                image -> sizes.computeIfAbsent(image, i -> ImageSize.of(dataset.resolveImage(i), width)));
        for (PlannedPrompt p : prompts) {
            String where = p.item() == null ? study.file() + ": "
                    : DatasetImporter.annotationFile(dataset.root(), p.task(), p.split()) + ": item '" + p.item() + "': ";
            try {
                ResolvedPrompt r = tokens.resolve(p);
                if (r.length() + room > model.maxPositions()) {
                    problems.add(where + p.describe() + ": " + r.length() + " tokens" + (room > 0 ? " + " + room + " new" : "")
                            + " exceed the " + model.role() + " model's max_position_embeddings " + model.maxPositions());
                }
            } catch (RuntimeException e) {
                problems.add(where + "on the " + model.role() + " model: " + e.getMessage());
            }
        }
    }

    /** What the source model (LLM->VLM) captures: the text-example prompts of val and the instructions, when a pair reads text. */
    private List<PlannedPrompt> sourcePrompts(CheckedModel model) {
        List<PlannedPrompt> out = new ArrayList<>();
        if (!textSource()) return out;
        PromptPlanner planner = new PromptPlanner(dataset, study.shots(), model.tokens().imagePlaceholder());
        for (String task : study.tasks()) {
            if (study.specifications().textExamples()) {
                for (int seed : study.seeds()) {
                    for (TaskItem item : dataset.items(task, Split.VAL)) {
                        out.add(planner.source(task, seed, Split.VAL, item, Specification.TEXT_EXAMPLES));
                    }
                }
            }
            if (study.specifications().instructionsEnabled()) out.add(planner.instruction(task, study.specifications().instructions().get(task)));
        }
        return out;
    }

    /** Some pair reads text: text-example and instruction vectors are captured. */
    private boolean textSource() {
        return study.modalityPairs().stream().map(ModalityPair::source).anyMatch(m -> m == Modality.TEXT);
    }

    private interface ItemVisitor {
        void visit(Path annotationFile, TaskItem item);
    }

    private void forEachItem(ItemVisitor visitor) {
        for (String task : study.tasks()) {
            for (Split split : Split.values()) {
                Path file = DatasetImporter.annotationFile(dataset.root(), task, split);
                for (TaskItem item : dataset.items(task, split)) visitor.visit(file, item);
            }
        }
    }
}
