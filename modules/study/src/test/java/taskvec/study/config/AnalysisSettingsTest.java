package taskvec.study.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import taskvec.study.StudyInputException;

class AnalysisSettingsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void defaultsAreThePapersWithTheDelimiterAsInputToken() {
        AnalysisSettings s = AnalysisSettings.parse("s.yaml", null);
        assertNull(s.inputToken());
        assertEquals("capital", s.taskWord("country-capital"));
        assertEquals("baby", s.taskWord("animal-young"));
        assertEquals("second", s.taskWord("pair-second"), "an unknown task's word is its name after the domain");
    }

    @Test
    void overridesAndBadValuesNameTheKey() throws Exception {
        AnalysisSettings s = AnalysisSettings.parse("s.yaml", JSON.readTree("{\"input_token\":\"auf\",\"task_words\":{\"food-color\":\"colour\"},\"map_layer\":3}"));
        assertEquals("auf", s.inputToken());
        assertEquals("colour", s.taskWord("food-color"));
        assertEquals(3, s.mapLayer());
        StudyInputException e = assertThrows(StudyInputException.class,
                () -> AnalysisSettings.parse("s.yaml", JSON.readTree("{\"map_layer\":-1}")));
        assertEquals("s.yaml: analyses.map_layer: must be a layer index (0 or more)", e.getMessage());
        e = assertThrows(StudyInputException.class, () -> AnalysisSettings.parse("s.yaml", JSON.readTree("{\"phase\":true}")));
        assertEquals("s.yaml: analyses.phase: unknown key (known here: conflict, input_token, map_layer, phases, similarity, task_words)",
                e.getMessage());
    }
}
