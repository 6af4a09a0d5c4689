package taskvec.study.analysis;

import java.util.ArrayList;
import java.util.List;
import taskvec.study.vectors.VectorMath;

/**
 * Cosine similarity between task vectors of every pair of labels at every layer, the pair in
 * both orders and each label with itself, so a heatmap reads straight from the rows.
 */
public final class VectorSimilarity {
    private VectorSimilarity() {}

    public static List<SimilarityRow> allPairs(List<LabeledVectors> vectors) {
        if (vectors.isEmpty()) return List.of();
        int layers = vectors.get(0).vectors().numLayers();
        for (LabeledVectors v : vectors) {
            if (v.vectors().numLayers() != layers) {
                throw new IllegalArgumentException("task vector " + v.label() + " has " + v.vectors().numLayers()
                        + " layers, the first has " + layers);
            }
        }
        List<SimilarityRow> rows = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            for (LabeledVectors a : vectors) {
                for (LabeledVectors b : vectors) {
                    rows.add(new SimilarityRow(l, a.label(), b.label(), VectorMath.cosine(a.vectors().layer(l), b.vectors().layer(l))));
                }
            }
        }
        return rows;
    }
}
