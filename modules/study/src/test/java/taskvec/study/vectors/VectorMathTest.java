package taskvec.study.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import taskvec.study.StudyInputException;

class VectorMathTest {
    private static LayerVectors lv(float[]... layers) {
        return new LayerVectors(layers);
    }

    @Test
    void meanIsPerLayerOverPrompts() {
        LayerVectors a = lv(new float[] {1, 2}, new float[] {0, 0});
        LayerVectors b = lv(new float[] {3, 4}, new float[] {2, -2});
        LayerVectors c = lv(new float[] {5, 0}, new float[] {4, 8});
        LayerVectors m = VectorMath.mean(List.of(a, b, c));
        assertArrayEquals(new float[] {3, 2}, m.layer(0));
        assertArrayEquals(new float[] {2, 2}, m.layer(1));
    }

    @Test
    void ensembleIsTheWeightedSumPerLayer() {
        LayerVectors exemplar = lv(new float[] {2, 4}, new float[] {1, 1});
        LayerVectors instruction = lv(new float[] {0, 2}, new float[] {3, -1});
        LayerVectors e = VectorMath.weighted(List.of(exemplar, instruction), new double[] {0.5, 0.5});
        assertArrayEquals(new float[] {1, 3}, e.layer(0));
        assertArrayEquals(new float[] {2, 0}, e.layer(1));
        LayerVectors w = VectorMath.weighted(List.of(exemplar, instruction), new double[] {0.75, 0.25});
        assertArrayEquals(new float[] {1.5f, 3.5f}, w.layer(0));
        assertArrayEquals(new float[] {2, 2}, VectorMath.subtract(exemplar, instruction).layer(0));
    }

    @Test
    void cosineOnHandComputedVectors() {
        assertEquals(1.0, VectorMath.cosine(new float[] {1, 2}, new float[] {2, 4}), 1e-12);
        assertEquals(0.0, VectorMath.cosine(new float[] {1, 0}, new float[] {0, 3}), 1e-12);
        assertEquals(-1.0, VectorMath.cosine(new float[] {1, 1}, new float[] {-2, -2}), 1e-12);
        assertEquals(0.6, VectorMath.cosine(new float[] {3, 4}, new float[] {1, 0}), 1e-12);
        assertEquals(0.0, VectorMath.cosine(new float[] {0, 0}, new float[] {1, 0}), 1e-12);
        double[] perLayer = VectorMath.cosinePerLayer(lv(new float[] {3, 4}, new float[] {1, 0}), lv(new float[] {1, 0}, new float[] {1, 0}));
        assertArrayEquals(new double[] {0.6, 1.0}, perLayer, 1e-12);
    }

    @Test
    void shapesMustAgree() {
        assertThrows(IllegalArgumentException.class, () -> VectorMath.mean(List.of(lv(new float[] {1}), lv(new float[] {1, 2}))));
        assertThrows(IllegalArgumentException.class, () -> lv(new float[] {1}, new float[] {1, 2}));
    }

    @Test
    void transferNeedsTheSameLayersAndHiddenSize() {
        taskvec.study.config.StudyModels.requireTransferable("vicuna", 32, 4096, "llava", 32, 4096);
        StudyInputException e = assertThrows(StudyInputException.class,
                () -> taskvec.study.config.StudyModels.requireTransferable("mistral", 32, 4096, "llava", 32, 5120));
        assertTrue(e.getMessage().contains("mistral (32 layers, hidden size 4096) into llava (32 layers, hidden size 5120)"), e.getMessage());
        assertThrows(StudyInputException.class, () -> taskvec.study.config.StudyModels.requireTransferable("a", 24, 64, "b", 32, 64));
    }

    @Test
    void sampleEfficiencySubsetsAreSeededMeansOfRPromptVectors() {
        List<LayerVectors> perPrompt = new ArrayList<>();
        for (int i = 0; i < 30; i++) perPrompt.add(lv(new float[] {i, 10 * i}));
        List<SampleEfficiency.Subset> curve = SampleEfficiency.curve("country-capital", "text-examples", 1, 6, 5, perPrompt);
        assertEquals(6, curve.size());
        for (int r = 1; r <= 6; r++) {
            SampleEfficiency.Subset s = curve.get(r - 1);
            assertEquals(r, s.prompts());
            assertEquals(5 * r, s.examples());
            assertEquals(r, s.chosen().length);
            assertEquals(r, java.util.Arrays.stream(s.chosen()).distinct().count());
            double expected = java.util.Arrays.stream(s.chosen()).average().orElseThrow();
            assertEquals(expected, s.mean().layer(0)[0], 1e-5);
            assertEquals(10 * expected, s.mean().layer(0)[1], 1e-4);
        }
        // the same keys give the same subsets; another seed gives others
        assertArrayEquals(curve.get(2).chosen(), SampleEfficiency.subset("country-capital", "text-examples", 1, 3, 5, perPrompt).chosen());
        boolean differs = false;
        for (int r = 1; r <= 6; r++) {
            differs |= !java.util.Arrays.equals(curve.get(r - 1).chosen(),
                    SampleEfficiency.subset("country-capital", "text-examples", 2, r, 5, perPrompt).chosen());
        }
        assertTrue(differs);
        // r = all prompts is the full mean
        assertArrayEquals(VectorMath.mean(perPrompt).layer(0),
                SampleEfficiency.subset("t", "s", 1, 30, 5, perPrompt).mean().layer(0), 1e-4f);
    }
}
