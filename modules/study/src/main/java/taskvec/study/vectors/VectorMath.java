package taskvec.study.vectors;

import java.util.List;

/** Per-layer means, weighted ensembles, differences and cosine similarity of task vectors. */
public final class VectorMath {
    private VectorMath() {}

    /** The per-layer mean over prompts (sums in double so the order of prompts barely matters). */
    public static LayerVectors mean(List<LayerVectors> vectors) {
        if (vectors.isEmpty()) throw new IllegalArgumentException("mean of no vectors");
        double[] weights = new double[vectors.size()];
        java.util.Arrays.fill(weights, 1.0 / vectors.size());
        return weighted(vectors, weights);
    }

    /** sum_i weights[i] * vectors[i], per layer; the paper's ensemble is weights (1/2, 1/2). */
    public static LayerVectors weighted(List<LayerVectors> vectors, double[] weights) {
        if (vectors.size() != weights.length) {
            throw new IllegalArgumentException(vectors.size() + " vectors but " + weights.length + " weights");
        }
        LayerVectors first = vectors.get(0);
        int layers = first.numLayers();
        int d = first.hiddenSize();
        for (LayerVectors v : vectors) requireSameShape(first, v);
        float[][] out = new float[layers][d];
        for (int l = 0; l < layers; l++) {
            double[] acc = new double[d];
            for (int i = 0; i < vectors.size(); i++) {
                float[] x = vectors.get(i).layer(l);
                for (int j = 0; j < d; j++) acc[j] += weights[i] * x[j];
            }
            for (int j = 0; j < d; j++) out[l][j] = (float) acc[j];
        }
        return new LayerVectors(out);
    }

    /** a - b, per layer. */
    public static LayerVectors subtract(LayerVectors a, LayerVectors b) {
        return weighted(List.of(a, b), new double[] {1.0, -1.0});
    }

    /** Cosine similarity of two vectors (0 when either is all zeros). */
    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("lengths differ: " + a.length + " vs " + b.length);
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        if (na == 0 || nb == 0) return 0.0;
        return dot / (Math.sqrt(na) * Math.sqrt(nb));
    }

    /** Cosine similarity per layer. */
    public static double[] cosinePerLayer(LayerVectors a, LayerVectors b) {
        requireSameShape(a, b);
        double[] out = new double[a.numLayers()];
        for (int l = 0; l < out.length; l++) out[l] = cosine(a.layer(l), b.layer(l));
        return out;
    }

    private static void requireSameShape(LayerVectors a, LayerVectors b) {
        if (a.numLayers() != b.numLayers() || a.hiddenSize() != b.hiddenSize()) {
            throw new IllegalArgumentException("vector shapes differ: (" + a.numLayers() + ", " + a.hiddenSize() + ") vs ("
                    + b.numLayers() + ", " + b.hiddenSize() + ")");
        }
    }

    /** The ensemble step: exemplarWeight * examples + instructionWeight * instruction, per layer. */
    public static LayerVectors ensemble(taskvec.study.config.Study.Ensembling e, LayerVectors examples, LayerVectors instruction) {
        return weighted(List.of(examples, instruction), new double[] {e.exemplarWeight(), e.instructionWeight()});
    }
}
