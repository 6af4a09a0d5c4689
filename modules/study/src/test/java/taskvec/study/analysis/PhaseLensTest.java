package taskvec.study.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import taskvec.model.LensResult;

class PhaseLensTest {

    /** A lens over a 4-token vocabulary whose residual is the distribution itself: top ids by value. */
    static final Lens IDENTITY_LENS = (residual, topK, ids) -> {
        Integer[] order = {0, 1, 2, 3};
        java.util.Arrays.sort(order, (a, b) -> Float.compare(residual[b], residual[a]));
        int[] top = new int[topK];
        float[] topP = new float[topK];
        for (int k = 0; k < topK; k++) { top[k] = order[k]; topP[k] = residual[order[k]]; }
        float[] of = new float[ids.length];
        for (int k = 0; k < ids.length; k++) of[k] = residual[ids[k]];
        return new LensResult(top, topP, of);
    };

    @Test
    void averagesProbabilitiesOverPromptsAndRanksTokensByHowOftenTheyLead() {
        // three layers: input (id 0) leads, then the task word (id 1), then the answer (id 2 or 3)
        PhasePrompt a = new PhasePrompt(new float[][] {{.7f, .1f, .1f, .1f}, {.1f, .6f, .2f, .1f}, {.0f, .1f, .8f, .1f}}, 0, 1, 2);
        PhasePrompt b = new PhasePrompt(new float[][] {{.5f, .2f, .2f, .1f}, {.2f, .5f, .1f, .2f}, {.0f, .2f, .1f, .7f}}, 0, 1, 3);
        PhaseResult r = PhaseLens.analyze(IDENTITY_LENS, List.of(a, b), 2, id -> "t" + id);
        assertEquals(9, r.probabilities().size());
        PhaseRow answerLast = r.probabilities().stream()
                .filter(p -> p.layer() == 2 && p.probe() == PhaseProbe.ANSWER).findFirst().orElseThrow();
        assertEquals(0.75, answerLast.probability(), 1e-6);
        assertEquals(2, answerLast.prompts());
        assertEquals(0, PhaseLens.peakLayer(r.probabilities(), PhaseProbe.INPUT));
        assertEquals(1, PhaseLens.peakLayer(r.probabilities(), PhaseProbe.TASK));
        assertEquals(2, PhaseLens.peakLayer(r.probabilities(), PhaseProbe.ANSWER));
        DecodedToken first = r.topTokens().stream().filter(t -> t.layer() == 1 && t.rank() == 1).findFirst().orElseThrow();
        assertEquals("t1", first.token());
        assertEquals(1.0, first.share(), 1e-9);
        assertEquals(0.55, first.meanProbability(), 1e-6);
    }

    @Test
    void refusesPromptsOfDifferentDepth() {
        PhasePrompt a = new PhasePrompt(new float[][] {{1, 0, 0, 0}}, 0, 1, 2);
        PhasePrompt b = new PhasePrompt(new float[][] {{1, 0, 0, 0}, {1, 0, 0, 0}}, 0, 1, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PhaseLens.analyze(IDENTITY_LENS, List.of(a, b), 1, id -> ""));
        assertEquals("prompts differ in layer count: 1 vs 2", e.getMessage());
    }
}
