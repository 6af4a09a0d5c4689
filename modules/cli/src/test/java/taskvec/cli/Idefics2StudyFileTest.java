package taskvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.cli.common.ExitCodes;
import taskvec.study.config.Study;
import taskvec.study.config.StudyFileReader;
import taskvec.study.prompt.ModalityPair;

/** workflows/studies/idefics2-8b.yaml states the paper's Idefics2 settings; its model folders absent are named. */
class Idefics2StudyFileTest {
    static final Path FILE = SmallStudy.ROOT.resolve("workflows/studies/idefics2-8b.yaml");

    @Test
    void theStudyFilePinsThePapersModelsAndSettings() {
        Study s = StudyFileReader.read(FILE, SmallStudy.ROOT);
        assertEquals("HuggingFaceM4/idefics2-8b", s.models().target().hf());
        assertEquals("2c42686c57fe21cf0348c9ce1077d094b72e7698", s.models().target().revision());
        assertEquals("mistralai/Mistral-7B-v0.1", s.models().source().hf());
        assertEquals("7231864981174d9bee8c7687c24c8344414eae6b", s.models().source().revision());
        assertTrue(s.specifications().textExamples() && s.specifications().imageExamples());
        assertEquals(6, s.specifications().instructions().size());
        assertTrue(s.ensembling().enabled());
        assertEquals(4, s.modalityPairs().size());
        assertTrue(s.modalityPairs().containsAll(List.of(ModalityPair.parse("text->image"), ModalityPair.parse("image->image"))));
        assertEquals(5, s.shots());
        assertEquals(224, s.preResizeWidth());
    }

    @Test
    void absentModelFoldersAreBadInputNamingThePath(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("models/idefics2-8b");
        Path copy = dir.resolve("idefics2-8b.yaml");
        Files.writeString(copy, Files.readString(FILE)
                .replace("    hf: HuggingFaceM4/idefics2-8b\n", "    dir: " + missing + "\n    hf: HuggingFaceM4/idefics2-8b\n")
                .replace("root: data/tasks", "root: " + SmallStudy.ROOT.resolve("data/tasks")));
        CliRun.Result o = CliRun.run("study", "check", copy.toString());
        assertEquals(ExitCodes.INVALID_INPUT, o.code(), o.out() + o.err());
        assertTrue(o.err().contains(copy.toString()) && o.err().contains(missing.toString()), o.err());
        assertTrue(o.err().contains("model folder not found"), o.err());
    }

    @Test
    void theShippedFileWithNoModelAtHandNamesTheCacheFoldersItTried(@TempDir Path dir) throws IOException {
        Path copy = dir.resolve("idefics2-8b.yaml");
        Files.writeString(copy, Files.readString(FILE).replace("root: data/tasks", "root: " + SmallStudy.ROOT.resolve("data/tasks")));
        CliRun.Result o = CliRun.run("study", "check", copy.toString());
        assertEquals(ExitCodes.INVALID_INPUT, o.code(), o.out() + o.err());
        assertTrue(o.err().contains("models.target: HuggingFaceM4/idefics2-8b@2c42686c57fe21cf0348c9ce1077d094b72e7698: model folder not found"), o.err());
        assertTrue(o.err().contains("models--HuggingFaceM4--idefics2-8b"), o.err());
        assertEquals("", o.out());
    }
}
