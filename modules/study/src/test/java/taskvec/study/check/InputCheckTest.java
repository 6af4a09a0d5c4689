package taskvec.study.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.study.StudyInputException;
import taskvec.study.config.Study;
import taskvec.study.config.StudyFileReader;
import taskvec.study.data.Dataset;
import taskvec.study.data.DatasetImporter;

/** The run's input check on the fixture model's own tokenizer and a copy of the fixture study's data. */
class InputCheckTest {
    static final Path ROOT = Path.of(System.getProperty("taskvec.root", "../..")).toAbsolutePath().normalize();
    static final Path MODEL = Path.of(System.getProperty("taskvec.fixtures", "../model/src/test/resources/fixtures"))
            .resolve("llava-clip-llama/model").toAbsolutePath();

    @TempDir Path dir;
    Path data;

    @BeforeEach
    void copyData() throws IOException {
        data = dir.resolve("data");
        Path src = ROOT.resolve("data/fixture-study");
        for (String sub : List.of("annotations", "images")) {
            Files.createDirectories(data.resolve(sub));
            try (var files = Files.list(src.resolve(sub))) {
                for (Path f : (Iterable<Path>) files::iterator) Files.copy(f, data.resolve(sub).resolve(f.getFileName()));
            }
        }
    }

    private Study study(String instruction) throws IOException {
        Path file = dir.resolve("study.yaml");
        Files.writeString(file, """
                models: {target: {dir: %s}}
                dataset: {root: %s}
                tasks: [pair-first]
                seeds: [1]
                shots: 3
                specifications: {text_examples: true, image_examples: true, instructions: {pair-first: "%s"}}
                modality_pairs: [text->image, image->text]
                pre_resize_width: null
                """.formatted(MODEL, data, instruction));
        return StudyFileReader.read(file, dir);
    }

    private List<String> problems(Study study, int maxPositions) {
        Dataset ds = DatasetImporter.load(study.datasetRoot(), study.tasks());
        InputCheck.CheckedModel read = InputCheck.CheckedModel.read(MODEL, true);
        try (var tokens = read.tokens()) {
            return InputCheck.problems(study, ds, List.of(new InputCheck.CheckedModel("target", tokens, maxPositions, true)));
        }
    }

    @Test
    void theFixtureStudyPasses() throws IOException {
        assertEquals(List.of(), problems(study("w30 w31:"), 512));
    }

    @Test
    void everyBrokenItemIsNamedWithItsFileAndProblemInOnePass() throws IOException {
        Path val = data.resolve("annotations/pair-first_val.json");
        Path test = data.resolve("annotations/pair-first_test.json");
        Files.writeString(val, Files.readString(val).replace("\"output\": \"w42\"", "\"output\": \"Zebra\""));
        Files.writeString(data.resolve("images/w21.png"), "not a png");
        Files.delete(data.resolve("images/w23.png"));
        Study study = study("w30 Unheard:");
        List<String> found = problems(study, 512);
        assertEquals(List.of(
                test.toAbsolutePath() + ": item 'w21': image 'images/w21.png': not an image in a readable format (PNG, JPEG, BMP, GIF)",
                test.toAbsolutePath() + ": item 'w23': image 'images/w23.png': image file does not exist",
                val.toAbsolutePath() + ": item 'w12': answer 'Zebra' has text the target model's tokenizer does not know (it becomes <unk>)",
                study.file() + ": specifications.instructions.pair-first: instruction 'w30 Unheard:' has text the target model's"
                        + " tokenizer does not know (it becomes <unk>)"), found);
        InputCheck.CheckedModel model = InputCheck.CheckedModel.read(MODEL, true);
        StudyInputException e;
        try (var tokens = model.tokens()) {
            e = assertThrows(StudyInputException.class,
                    () -> InputCheck.require(study, DatasetImporter.load(study.datasetRoot(), study.tasks()), List.of(model)));
        }
        assertTrue(e.getMessage().startsWith(study.file() + ": the study's inputs have 4 problems:\n  " + found.get(0)), e.getMessage());
    }

    @Test
    void promptsLongerThanTheModelsContextAreRefused() throws IOException {
        List<String> found = problems(study("w30 w31:"), 20);
        assertTrue(found.size() > 1, found.toString());
        Path val = data.toAbsolutePath().resolve("annotations/pair-first_val.json");
        assertTrue(found.get(0).startsWith(val + ": item 'w10': source prompt (text-examples, task pair-first, val, item w10, seed 1): "),
                found.get(0));
        assertTrue(found.get(0).endsWith(" tokens + 1 new exceed the target model's max_position_embeddings 20"), found.get(0));
    }
}
