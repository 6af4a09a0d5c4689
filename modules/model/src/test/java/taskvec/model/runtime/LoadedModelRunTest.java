package taskvec.model.runtime;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import taskvec.model.EncodedPrompt;
import taskvec.model.LensResult;
import taskvec.model.ModelInfo;
import taskvec.model.Row;
import taskvec.model.RowResult;
import taskvec.model.RuntimeSettings;
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
        prompt = model.encode("Q : w16 w26 w54 w42 w63 A :", List.of(), java.util.OptionalInt.empty());
        other = model.encode("Q : w70 w71 w72 w73 A :", List.of(), java.util.OptionalInt.empty());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static Row row(EncodedPrompt p, List<Intervention> ivs, List<Capture> caps, int maxNew) {
        return new Row(p, ivs, caps, maxNew, Set.of());
    }

    @Test
    void infoDescribesTheModel() {
        ModelInfo info = model.info();
        assertEquals("llava", info.modelType());
        assertEquals("llama", info.textModelType());
        assertEquals(4, info.numLayers());
        assertEquals(64, info.hiddenSize());
        assertEquals(96, info.vocabSize());
        assertEquals(4, info.numHeads());
        assertEquals(2, info.numKvHeads());
        assertEquals("float32", info.dtype());
        assertEquals("cpu", info.device());
        assertTrue(info.hasVision());
        assertEquals(95, info.imageTokenId());
        assertEquals(16, info.imageFeatureCount());
        // the checkpoint's 222,480 values but CLIP's unused post_layernorm (2 x 48)
        assertEquals(222_480 - 2 * 48, info.parameterCount());
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
                // 1e-5 relative to the logits' scale: a patch splits the prompt at another position, and
                // float32 GEMMs of other shapes round differently (about 1e-5 absolute on logits of size 2)
                float scale = 1f;
                float worst = 0f;
                for (int i = 0; i < plain.lastLogits().length; i++) {
                    scale = Math.max(scale, Math.abs(plain.lastLogits()[i]));
                    worst = Math.max(worst, Math.abs(plain.lastLogits()[i] - patched.lastLogits()[i]));
                }
                assertTrue(worst <= 1e-5f * scale, "layer " + layer + " position " + position
                        + ": max |difference| " + worst + " for logits up to " + scale);
            }
        }
    }

    @Test
    void replaceSetsExactlyTheVectorInEveryRowOfABatch() {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            float[] v = new float[model.hiddenSize()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) Math.sin(1.7 * i + r) * 3.1f;
            }
            int position = 2 + 2 * r;
            rows.add(row(prompt, List.of(Intervention.replace(1, position, v)),
                    List.of(Capture.residPost(1, position), Capture.residPost(1, 2)), 0));
        }
        List<RowResult> results = model.run(rows);
        RowResult plain = model.run(List.of(row(prompt, List.of(), List.of(Capture.residPost(1, 2)), 0))).get(0);
        for (int r = 0; r < 3; r++) {
            int position = 2 + 2 * r;
            assertArrayEquals(rows.get(r).interventions().get(0).vector(),
                    results.get(r).captured().get(Capture.residPost(1, position)), 0f);
        }
        // row 0 patched position 2; the later rows patch later positions and leave it as the plain run has it
        for (int r = 1; r < 3; r++) {
            assertArrayEquals(plain.captured().get(Capture.residPost(1, 2)),
                    results.get(r).captured().get(Capture.residPost(1, 2)), 1e-5f); // other GEMM shapes: float32 rounding
        }
    }

    @Test
    void embeddingSitePatchesLikeTheResidualStream() {
        int p = 3;
        taskvec.model.hooks.HookName embed = taskvec.model.hooks.HookName.embed();
        Capture c = new Capture(embed, p);
        RowResult plain = model.run(List.of(row(prompt, List.of(), List.of(c), 2))).get(0);
        float[] v = plain.captured().get(c);
        RowResult same = model.run(List.of(row(prompt, List.of(
                new Intervention(embed, p, v, Intervention.Mode.REPLACE, 1f)), List.of(), 2))).get(0);
        assertArrayEquals(plain.lastLogits(), same.lastLogits(), 1e-4f);
        assertArrayEquals(plain.generated(), same.generated());
        RowResult zeroAdd = model.run(List.of(row(prompt, List.of(
                new Intervention(embed, 0, new float[v.length], Intervention.Mode.ADD, 3f)), List.of(), 0))).get(0);
        assertArrayEquals(plain.lastLogits(), zeroAdd.lastLogits(), 1e-4f);
        RowResult doubled = model.run(List.of(row(prompt, List.of(
                new Intervention(embed, p, v, Intervention.Mode.ADD, 1f)), List.of(c), 0))).get(0);
        for (int i = 0; i < v.length; i++) {
            assertEquals(2 * v[i], doubled.captured().get(c)[i], 1e-6f);
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
    void imagePromptsExpandPlaceholdersAndBatchLikeRowsAlone() {
        Path png = Path.of("src/test/resources/fixtures/preprocess/wide-rgb.png");
        EncodedPrompt withImage = model.encode("Q : <image> A :", List.of(png), java.util.OptionalInt.of(48));
        int n = model.info().imageFeatureCount();
        assertEquals(16, n);
        assertEquals(4 + n, withImage.length());
        assertEquals(1, withImage.images().size());
        for (int i = 2; i < 2 + n; i++) {
            assertEquals(model.info().imageTokenId(), withImage.ids()[i]);
            assertEquals("<image>", withImage.tokens()[i]);
        }
        assertThrows(IllegalArgumentException.class,
                () -> model.encode("Q : <image> <image> A :", List.of(png), java.util.OptionalInt.empty()));

        int last = withImage.length() - 1;
        Capture feature = new Capture(taskvec.model.hooks.HookName.parse("projector.hook_out"), 5);
        RowResult plain = model.run(List.of(row(withImage, List.of(), List.of(Capture.residPost(1, last), feature), 3))).get(0);
        float[] v = plain.captured().get(Capture.residPost(1, last));
        List<Row> rows = new ArrayList<>();
        for (int l = 0; l < model.numLayers(); l++) {
            float[] scaled = v.clone();
            for (int i = 0; i < scaled.length; i++) {
                scaled[i] *= 2f;
            }
            rows.add(row(withImage, List.of(Intervention.replace(l, last, scaled)), List.of(feature), 3));
        }
        List<RowResult> batched = model.run(rows);
        for (int i = 0; i < rows.size(); i++) {
            RowResult alone = model.run(List.of(rows.get(i))).get(0);
            assertArrayEquals(alone.generated(), batched.get(i).generated());
            assertArrayEquals(alone.lastLogits(), batched.get(i).lastLogits(), 1e-4f);
            assertArrayEquals(plain.captured().get(feature), batched.get(i).captured().get(feature), 1e-6f);
        }
    }

    @Test
    void positionsOutsideThePromptAreRejected() {
        Row bad = row(prompt, List.of(), List.of(Capture.residPost(0, prompt.length())), 0);
        assertThrows(IllegalArgumentException.class, () -> model.run(List.of(bad)));
    }
}
