package taskvec.study.vectors;

import java.util.Arrays;

/**
 * One vector per decoder layer: {@code values[l]} is the residual stream after layer l at one
 * position (or a mean of such). Shape (L, D).
 */
public record LayerVectors(float[][] values) {
    public LayerVectors {
        if (values.length == 0) throw new IllegalArgumentException("no layers");
        int d = values[0].length;
        for (float[] v : values) {
            if (v.length != d) throw new IllegalArgumentException("layers differ in hidden size: " + d + " vs " + v.length);
        }
    }

    public int numLayers() {
        return values.length;
    }

    public int hiddenSize() {
        return values[0].length;
    }

    public float[] layer(int l) {
        return values[l];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerVectors other && Arrays.deepEquals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(values);
    }

    @Override
    public String toString() {
        return "LayerVectors[" + numLayers() + "x" + hiddenSize() + "]";
    }
}
