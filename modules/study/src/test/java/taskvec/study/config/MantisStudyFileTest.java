package taskvec.study.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import taskvec.study.prompt.Modality;
import taskvec.study.prompt.ModalityPair;

/** workflows/studies/mantis-8b-fuyu.yaml holds the paper's settings for Mantis-8B-Fuyu at its pinned revision. */
class MantisStudyFileTest {

    @Test
    void thePapersMantisStudy() {
        Path root = StudyFileReaderTest.ROOT;
        Study s = StudyFileReader.read(root.resolve("workflows/studies/mantis-8b-fuyu.yaml"), root);
        assertEquals("TIGER-Lab/Mantis-8B-Fuyu", s.models().target().hf());
        assertEquals("ea76e7446341b399d9af2d7af390abb83fda6b28", s.models().target().revision());
        assertNull(s.models().source(), "the paper has no LLM->VLM row for Mantis");
        assertTrue(s.specifications().textExamples() && s.specifications().imageExamples());
        assertEquals(PaperDefaults.INSTRUCTIONS, s.specifications().instructions());
        assertTrue(s.ensembling().enabled());
        assertEquals(List.of(new ModalityPair(Modality.TEXT, Modality.IMAGE), new ModalityPair(Modality.IMAGE, Modality.IMAGE),
                new ModalityPair(Modality.TEXT, Modality.TEXT), new ModalityPair(Modality.IMAGE, Modality.TEXT)),
                s.modalityPairs());
        assertEquals(PaperDefaults.TASKS, s.tasks());
        assertEquals(List.of(1, 2, 3), s.seeds());
        assertEquals(5, s.shots());
        assertNull(s.layers());
        assertEquals(224, s.preResizeWidth());
    }
}
