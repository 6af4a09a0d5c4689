package taskvec.study.eval;

import taskvec.model.hooks.Intervention;
import taskvec.study.config.InterventionMode;
import taskvec.study.vectors.LayerVectors;

/**
 * What gets written into a query at layer l: REPLACE writes {@code vector[l]} (the paper); ADD
 * adds {@code alpha * (vector[l] - baseline[l])}, where baseline is the mean zero-shot query
 * vector of the same domain at the same layer and position.
 */
public record PatchVector(LayerVectors vector, InterventionMode mode, double alpha, LayerVectors baseline) {
    public PatchVector {
        if (mode == InterventionMode.ADD && baseline == null) {
            throw new IllegalArgumentException("the additive mode needs the zero-shot query mean");
        }
        if (baseline != null && (baseline.numLayers() != vector.numLayers() || baseline.hiddenSize() != vector.hiddenSize())) {
            throw new IllegalArgumentException("baseline shape differs from the task vector's");
        }
    }

    public static PatchVector replace(LayerVectors vector) {
        return new PatchVector(vector, InterventionMode.REPLACE, 1.0, null);
    }

    public static PatchVector add(LayerVectors vector, LayerVectors baseline, double alpha) {
        return new PatchVector(vector, InterventionMode.ADD, alpha, baseline);
    }

    public Intervention intervention(int layer, int position) {
        if (mode == InterventionMode.REPLACE) return Intervention.replace(layer, position, vector.layer(layer));
        float[] v = vector.layer(layer);
        float[] b = baseline.layer(layer);
        float[] delta = new float[v.length];
        for (int i = 0; i < v.length; i++) delta[i] = v[i] - b[i];
        return Intervention.add(layer, position, delta, (float) alpha);
    }
}
