package taskvec.study.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import taskvec.study.vectors.LayerVectors;

class VectorSimilarityTest {

    @Test
    void everyOrderedPairAtEveryLayer() {
        VectorLabel a = new VectorLabel("m", "country-capital", "text-examples", "text");
        VectorLabel b = new VectorLabel("m", "country-capital", "image-examples", "image");
        List<SimilarityRow> rows = VectorSimilarity.allPairs(List.of(
                new LabeledVectors(a, new LayerVectors(new float[][] {{1, 0}, {1, 1}})),
                new LabeledVectors(b, new LayerVectors(new float[][] {{0, 1}, {1, 1}}))));
        assertEquals(8, rows.size());
        assertEquals(0.0, rows.stream().filter(r -> r.layer() == 0 && r.a().equals(a) && r.b().equals(b)).findFirst().orElseThrow().cosine(), 1e-9);
        assertEquals(1.0, rows.stream().filter(r -> r.layer() == 1 && r.a().equals(b) && r.b().equals(a)).findFirst().orElseThrow().cosine(), 1e-6);
    }
}
