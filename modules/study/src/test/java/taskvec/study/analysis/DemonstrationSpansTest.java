package taskvec.study.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import taskvec.model.RuntimeSettings;
import taskvec.model.runtime.LoadedModel;
import taskvec.study.data.Dataset;
import taskvec.study.data.Split;
import taskvec.study.data.TaskItem;
import taskvec.study.prompt.PromptEncoder;
import taskvec.study.prompt.PromptPlanner;
import taskvec.study.prompt.ResolvedPrompt;
import taskvec.study.prompt.Specification;

/** Demonstration input spans on the llava-clip-llama fixture's tokenizer, with and without image expansion. */
class DemonstrationSpansTest {
    static final Path FIXTURES = Path.of(System.getProperty("taskvec.fixtures", "../model/src/test/resources/fixtures"));

    static Dataset dataset() {
        List<TaskItem> val = new ArrayList<>();
        for (int i = 0; i < 8; i++) val.add(new TaskItem("v" + i, "w" + (10 + i), "w" + (40 + i), "img/v" + i + ".png"));
        return new Dataset(Path.of("/no-images-needed"), Map.of("t", Map.of(Split.VAL, val, Split.TEST, val)));
    }

    @Test
    void spansCoverExactlyEachDemonstrationsInputTokens() {
        Dataset ds = dataset();
        try (LoadedModel model = LoadedModel.load(FIXTURES.resolve("llava-clip-llama/model"), RuntimeSettings.defaults())) {
            PromptEncoder enc = new PromptEncoder(model, ds, null);
            PromptPlanner planner = new PromptPlanner(ds, 5, enc.imagePlaceholder());
            TaskItem query = ds.items("t", Split.VAL).get(0);

            ResolvedPrompt text = enc.resolve(planner.source("t", 1, Split.VAL, query, Specification.TEXT_EXAMPLES));
            List<DemonstrationSpans.Span> spans = DemonstrationSpans.inputs(model.tokenizer(), text.plan().text(), text.length(),
                    enc.imagePlaceholder());
            assertEquals(5, spans.size());
            for (int k = 0; k < 5; k++) {
                DemonstrationSpans.Span s = spans.get(k);
                assertEquals(1, s.to() - s.from(), "one word per input");
                String demo = text.plan().demos().get(k);
                assertEquals(ds.item("t", Split.VAL, demo).input(), model.tokenizer().tokenText(text.ids()[s.from()]));
            }

            ResolvedPrompt image = enc.resolve(planner.source("t", 1, Split.VAL, query, Specification.IMAGE_EXAMPLES));
            int features = model.info().imageFeatureCount();
            List<DemonstrationSpans.Span> imageSpans = DemonstrationSpans.inputs(model.tokenizer(), image.plan().text(), image.length(),
                    enc.imagePlaceholder());
            assertEquals(5, imageSpans.size());
            int imageId = model.tokenizer().tokenId(enc.imagePlaceholder());
            for (DemonstrationSpans.Span s : imageSpans) {
                assertEquals(features, s.to() - s.from(), "an image input is all of its features");
                for (int p = s.from(); p < s.to(); p++) assertEquals(imageId, image.ids()[p], "position " + p);
                assertEquals(":", model.tokenizer().tokenText(image.ids()[s.from() - 1]), "the input follows 'Q:'");
            }
        }
    }

    @Test
    void aBlockThatIsNotADemonstrationIsRefused() {
        try (LoadedModel model = LoadedModel.load(FIXTURES.resolve("llava-clip-llama/model"), RuntimeSettings.defaults())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DemonstrationSpans.inputs(model.tokenizer(), "w10 w11\n\nQ:w12\nA:", 9, null));
            assertEquals("demonstration at character 0 is not 'Q:{x}\\nA:{y}': w10 w11\n\nQ:w12\nA:", e.getMessage());
        }
    }
}
