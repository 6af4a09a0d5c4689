package taskvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.cli.common.ExitCodes;

class StudyCheckCommandTest {
    @TempDir Path dir;

    /** A real model folder: study check reads its config and tokenizer (the inputs are checked on them). */
    static final Path MODEL = SmallStudy.ROOT.resolve("modules/model/src/test/resources/fixtures/llava-clip-llama/model");

    private Path dataset() throws IOException {
        Path ann = Files.createDirectories(dir.resolve("ds/annotations"));
        for (String split : new String[] {"val", "test"}) {
            StringBuilder json = new StringBuilder("[");
            for (int i = 0; i < 7; i++) json.append(i > 0 ? "," : "").append("{\"input\": \"w1").append(i).append("\", \"output\": \"w4").append(i).append("\"}");
            Files.writeString(ann.resolve("a_" + split + ".json"), json.append("]").toString());
        }
        return dir.resolve("ds");
    }

    @Test
    void printsTheResolvedSettings() throws IOException {
        Path ds = dataset();
        Path study = dir.resolve("s.yaml");
        Files.writeString(study, "models: {target: {dir: " + MODEL + "}}\ndataset: {root: " + ds + "}\ntasks: [a]\n"
                + "specifications: {instructions: {a: \"w30 w31:\"}, image_examples: false}\nmodality_pairs: [text->text]\n");
        CliRun.Result o = CliRun.run("study", "check", study.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("# " + study + ": valid"), o.out());
        assertTrue(o.out().contains("# a: 7 val, 7 test items"), o.out());
        assertTrue(o.out().contains("shots: 5"), o.out());
        assertTrue(o.out().contains("pre_resize_width: 224"), o.out());
        assertTrue(o.out().contains("- \"text->text\""), o.out());
    }

    /** The default study runs every finding of the paper: the organism's language model as the source, the curve on. */
    @Test
    void theDefaultStudyIsValidWithTheOrganismsLanguageModelAsSourceAndTheSampleEfficiencyCurve() {
        CliRun.Result o = CliRun.run("study", "check", SmallStudy.ROOT.resolve("workflows/studies/embedded.yaml").toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("  source:\n    dir: \"" + SmallStudy.ROOT.resolve("data/organism-llm") + "\""), o.out());
        assertTrue(o.out().contains("  target:\n    dir: \"" + SmallStudy.ROOT.resolve("data/organism") + "\""), o.out());
        assertTrue(o.out().contains("sample_efficiency:\n  enabled: true\n  max_prompts: 6"), o.out());
    }

    @Test
    void itemsWithoutTheImagesTheStudyShowsAreBadInput() throws IOException {
        Path ds = dataset();
        Path study = dir.resolve("s.yaml");
        Files.writeString(study, "models: {target: {dir: " + MODEL + "}}\ndataset: {root: " + ds + "}\ntasks: [a]\n"
                + "specifications: {instructions: {a: \"w30 w31:\"}}\n");
        CliRun.Result o = CliRun.run("study", "check", study.toString());
        assertEquals(ExitCodes.INVALID_INPUT, o.code(), o.err());
        assertTrue(o.err().contains("the study's inputs have 14 problems:\n  " + ds.resolve("annotations/a_val.json")
                + ": item 'val-0': no image, but the study's image prompts show one"), o.err());
    }

    @Test
    void badStudyFilesExitWithInvalidInputAndNameTheKey() throws IOException {
        Path study = dir.resolve("s.yaml");
        Files.writeString(study, "models: {target: {dir: " + MODEL + "}}\nseeds: [1, 0]\n");
        CliRun.Result o = CliRun.run("study", "check", study.toString());
        assertEquals(ExitCodes.INVALID_INPUT, o.code());
        assertEquals("taskvec: " + study + ": seeds[1]: must be a positive integer", o.err().strip());
        Files.writeString(study, "models: {target: {dir: " + MODEL + "}}\ndataset: {root: " + dir.resolve("none") + "}\n");
        o = CliRun.run("study", "check", study.toString());
        assertEquals(ExitCodes.INVALID_INPUT, o.code());
        assertTrue(o.err().contains("annotations"), o.err());
    }
}
