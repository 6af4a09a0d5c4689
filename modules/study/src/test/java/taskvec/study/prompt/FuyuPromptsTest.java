package taskvec.study.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.model.RuntimeSettings;
import taskvec.model.runtime.LoadedModel;
import taskvec.study.StudyInputException;
import taskvec.study.data.Dataset;
import taskvec.study.data.Split;
import taskvec.study.data.TaskItem;

/** Study prompts on the Fuyu fixture (Mantis' layout): positions after expansion, and images Fuyu cannot take. */
class FuyuPromptsTest {
    static final Path MODEL = PromptEncoderTest.FIXTURES.resolve("fuyu-persimmon/model");

    @TempDir
    Path root;

    /** Eight val and test items with 30x20 pictures, except val item v0's, which is 40x4: thinner than a patch. */
    private Dataset dataset() throws IOException {
        Files.createDirectories(root.resolve("img"));
        List<TaskItem> val = new ArrayList<>();
        List<TaskItem> test = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            val.add(new TaskItem("v" + i, "w" + (10 + i), "w" + (40 + i), picture("img/v" + i + ".png", i == 0 ? 4 : 20)));
            test.add(new TaskItem("t" + i, "w" + (20 + i), "w" + (50 + i), picture("img/t" + i + ".png", 20)));
        }
        return new Dataset(root, Map.of("t", Map.of(Split.VAL, val, Split.TEST, test)));
    }

    private String picture(String name, int height) throws IOException {
        ImageIO.write(new BufferedImage(40, height, BufferedImage.TYPE_INT_RGB), "png", root.resolve(name).toFile());
        return name;
    }

    @Test
    void positionsAreResolvedOnMantisLayoutAndATooSmallImageIsNamed() throws IOException {
        Dataset ds = dataset();
        try (LoadedModel model = LoadedModel.load(MODEL, RuntimeSettings.defaults())) {
            PromptEncoder enc = new PromptEncoder(model, ds, null);
            PromptPlanner planner = new PromptPlanner(ds, 1, enc.imagePlaceholder());
            int colon = model.tokenizer().tokenId(":");

            // the first item whose prompt leaves v0 out: 2 images of 40x20, each 4 rows of 7 patches and a |NEWLINE|
            PlannedPrompt plan = ds.items("t", Split.VAL).stream().skip(1)
                    .map(item -> planner.source("t", 1, Split.VAL, item, Specification.IMAGE_EXAMPLES))
                    .filter(p -> !p.images().contains("img/v0.png")).findFirst().orElseThrow();
            ResolvedPrompt image = enc.resolve(plan);
            int speakers = 0;
            for (int id : image.ids()) speakers += id == 95 ? 1 : 0;
            assertEquals(2 * 4 * 7, speakers);
            // Mantis writes "image 1: " after the demonstration's answer: the read ':' is the 4th from the end
            assertEquals(PromptEncoderTest.colonFromEnd(image.ids(), colon, 4), image.readPosition());
            assertEquals(image.ids().length - 1, image.writePosition());
            assertEquals(":", image.writeToken());
            // the runtime's own encoding (preprocessed pixels) gives the ids the positions were resolved on
            assertEquals(image.ids().length, enc.encode(image).ids().length);

            StudyInputException e = assertThrows(StudyInputException.class, () -> enc.resolve(planner.source("t", 1,
                    Split.VAL, ds.items("t", Split.VAL).get(0), Specification.IMAGE_EXAMPLES)));
            assertTrue(e.getMessage().contains("image 'img/v0.png'"), e.getMessage());
            assertTrue(e.getMessage().contains("40x4") && e.getMessage().contains("smaller than one 6x6 patch"),
                    e.getMessage());
        }
    }
}
