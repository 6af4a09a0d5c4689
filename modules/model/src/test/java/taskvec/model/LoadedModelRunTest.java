package taskvec.model;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import taskvec.model.hooks.Capture;
import taskvec.model.hooks.Intervention;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** Semantics of LoadedModel.run on the tiny Llama fixture: self-patching, batched sweeps, generation stops. */
class LoadedModelRunTest {

    private static LoadedModel model;
    private static EncodedPrompt prompt;
    private static EncodedPrompt other;

    @BeforeAll
    static void load() {
        model = LoadedModel.load(Path.of("src/test/resources/fixtures/llava-clip-llama/model"), RuntimeSettings.defaults());
        prompt = model.encode("Q : w16 w26 w54 w42 w63 A :", List.of());
        other = model.encode("Q : w70 w71 w72 w73 A :", List.of());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static Row row(EncodedPrompt p, List<Intervention> ivs, List<Capture> caps, int maxNew) {
        return new Row(p, ivs, caps, maxNew, Set.of());
    }

    @Test
    void encodeGivesIdsAndTokenTexts() {
        assertEquals(9, prompt.ids().length);
        assertEquals("Q", prompt.tokens()[0]);
        assertEquals(model.tokenizer().tokenId("w16"), prompt.ids()[2]);
        assertEquals("<image>", model.tokenizer().imagePlaceholder());
    }

    @Test
    void patchingWithTheVectorCapturedThereReproducesTheLogits() {
        int last = prompt.length() - 1;
        for (int layer = 0; layer < model.numLayers(); layer++) {
            for (int position : new int[] {2, last}) {
                Capture c = Capture.residPost(layer, position);
                RowResult plain = model.run(List.of(row(prompt, List.of(), List.of(c), 0))).get(0);
                float[] v = plain.captured().get(c);
                RowResult patched = model.run(List.of(row(prompt,
                        List.of(Intervention.replace(layer, position, v)), List.of(), 0))).get(0);
                assertArrayEquals(plain.lastLogits(), patched.lastLogits(), 1e-5f,
                        "layer " + layer + " position " + position);
            }
        }
    }

    @Test
    void batchedLayerSweepMatchesRowsRunAlone() {
        int last = prompt.length() - 1;
        List<Capture> fromOther = new ArrayList<>();
        for (int l = 0; l < model.numLayers(); l++) {
            fromOther.add(Capture.residPost(l, other.length() - 1));
        }
        RowResult source = model.run(List.of(row(other, List.of(), fromOther, 0))).get(0);
        List<Row> sweep = new ArrayList<>();
        for (int l = 0; l < model.numLayers(); l++) {
            float[] v = source.captured().get(Capture.residPost(l, other.length() - 1));
            List<Capture> caps = List.of(Capture.residPost(model.numLayers() - 1, last), Capture.residPost(0, 1));
            sweep.add(row(prompt, List.of(Intervention.replace(l, last, v)), caps, 5));
        }
        sweep.add(row(prompt, List.of(), List.of(Capture.residPost(1, last)), 5)); // an unpatched row in the batch
        sweep.add(row(other, List.of(Intervention.add(1, 3, source.captured().get(Capture.residPost(1, other.length() - 1)), 0.5f)),
                List.of(), 3)); // a different prompt in between
        List<RowResult> batched = model.run(sweep);
        assertEquals(sweep.size(), batched.size());
        boolean anyChanged = false;
        for (int i = 0; i < sweep.size(); i++) {
            RowResult alone = model.run(List.of(sweep.get(i))).get(0);
            assertArrayEquals(alone.generated(), batched.get(i).generated(), "row " + i);
            assertArrayEquals(alone.lastLogits(), batched.get(i).lastLogits(), 1e-4f, "row " + i);
            assertEquals(alone.captured().keySet(), batched.get(i).captured().keySet());
            for (Capture c : alone.captured().keySet()) {
                assertArrayEquals(alone.captured().get(c), batched.get(i).captured().get(c), 1e-4f, "row " + i + " " + c);
            }
            anyChanged |= !java.util.Arrays.equals(batched.get(i).lastLogits(), batched.get(sweep.size() - 2).lastLogits());
        }
        assertTrue(anyChanged, "the patches must change the logits");
    }

    @Test
    void generationStopsAfterAStopTokenAndIncludesIt() {
        RowResult free = model.run(List.of(row(prompt, List.of(), List.of(), 6))).get(0);
        assertEquals(6, free.generated().length);
        int stop = free.generated()[2];
        RowResult stopped = model.run(List.of(new Row(prompt, List.of(), List.of(), 6, Set.of(stop)))).get(0);
        int firstStop = 0;
        while (free.generated()[firstStop] != stop) {
            firstStop++;
        }
        assertArrayEquals(java.util.Arrays.copyOf(free.generated(), firstStop + 1), stopped.generated());
    }

    @Test
    void logitLensMatchesTheLastLogits() {
        int last = prompt.length() - 1;
        Capture c = Capture.residPost(model.numLayers() - 1, last);
        RowResult r = model.run(List.of(row(prompt, List.of(), List.of(c), 0))).get(0);
        LensResult lens = model.logitLens(r.captured().get(c), 3, new int[] {5, 7});
        int best = 0;
        for (int i = 1; i < r.lastLogits().length; i++) {
            if (r.lastLogits()[i] > r.lastLogits()[best]) {
                best = i;
            }
        }
        assertEquals(best, lens.topIds()[0]);
        assertTrue(lens.topProbs()[0] >= lens.topProbs()[1] && lens.topProbs()[1] >= lens.topProbs()[2]);
        double sum = 0;
        for (float logit : r.lastLogits()) {
            sum += Math.exp(logit - r.lastLogits()[best]);
        }
        assertEquals(Math.exp(r.lastLogits()[5] - r.lastLogits()[best]) / sum, lens.probsOfIds()[0], 1e-5);
    }

    @Test
    void positionsOutsideThePromptAreRejected() {
        Row bad = row(prompt, List.of(), List.of(Capture.residPost(0, prompt.length())), 0);
        assertThrows(IllegalArgumentException.class, () -> model.run(List.of(bad)));
    }
}
