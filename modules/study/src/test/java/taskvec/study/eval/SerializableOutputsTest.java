package taskvec.study.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import taskvec.study.data.Split;
import taskvec.study.prompt.Modality;
import taskvec.study.prompt.PlannedPrompt;
import taskvec.study.prompt.PromptRole;
import taskvec.study.prompt.ResolvedPrompt;
import taskvec.study.prompt.Specification;
import taskvec.study.vectors.LayerVectors;

/** The steps' outputs travel between workflow stages as JSON: they must read back unchanged. */
class SerializableOutputsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void promptsVectorsAndPredictionsRoundTripThroughJson() throws Exception {
        PlannedPrompt plan = new PlannedPrompt("country-capital", 2, Split.VAL, "greece", PromptRole.SOURCE, Specification.IMAGE_EXAMPLES,
                Modality.IMAGE, "Q:<image>\nA:Rome\n\nQ:<image>\nA:", List.of("images/italy.png", "images/greece.png"), List.of("italy"),
                "Q:<image>\nA:");
        ResolvedPrompt r = new ResolvedPrompt(plan, new int[] {3, 4, 95, 95, 5, 4, 7, 3, 4, 95, 95, 5, 4}, 5, ":", 12, ":");
        ResolvedPrompt back = JSON.readValue(JSON.writeValueAsString(r), ResolvedPrompt.class);
        assertEquals(plan, back.plan());
        assertArrayEquals(r.ids(), back.ids());
        assertEquals(5, back.readPosition());

        LayerVectors v = new LayerVectors(new float[][] {{1.5f, -2f}, {0.25f, 3e-8f}});
        assertEquals(v, JSON.readValue(JSON.writeValueAsString(v), LayerVectors.class));

        Prediction p = new Prediction("food-color", 1, Split.TEST, "kiwi", "patch/text->image/text-examples/replace", 15, "green", "green", true);
        assertEquals(p, JSON.readValue(JSON.writeValueAsString(p), Prediction.class));
        Accuracy.PerSeed a = new Accuracy.PerSeed("food-color", 1, "prompt/text->image", -1, 100, 18, 0.18);
        assertEquals(a, JSON.readValue(JSON.writeValueAsString(a), Accuracy.PerSeed.class));
    }
}
