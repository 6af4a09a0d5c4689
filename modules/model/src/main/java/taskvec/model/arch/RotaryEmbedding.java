package taskvec.model.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Default RoPE with Hugging Face's rotate_half convention: the head dimension is split into two halves,
 * and frequency i rotates the pair (x[i], x[i + d/2]).
 */
public final class RotaryEmbedding {

    private final int headDim;
    private final double[] invFreq; // (d/2)

    public RotaryEmbedding(int headDim, double theta) {
        this.headDim = headDim;
        this.invFreq = new double[headDim / 2];
        for (int i = 0; i < invFreq.length; i++) {
            invFreq[i] = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
        }
    }

    /** Rotates x (B, H, T, Dh) whose time steps sit at absolute positions start .. start+T-1. */
    public NDArray apply(NDArray x, int start) {
        int t = (int) x.getShape().get(2);
        NDManager m = x.getManager();
        float[] cos = new float[t * headDim];
        float[] sin = new float[t * headDim];
        int half = headDim / 2;
        for (int p = 0; p < t; p++) {
            for (int i = 0; i < half; i++) {
                double angle = (start + p) * invFreq[i];
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                cos[p * headDim + i] = c;
                cos[p * headDim + i + half] = c;
                sin[p * headDim + i] = s;
                sin[p * headDim + i + half] = s;
            }
        }
        DataType dt = x.getDataType();
        NDArray cosA = m.create(cos, new Shape(t, headDim)).toType(dt, false).toDevice(x.getDevice(), false); // (T, Dh)
        NDArray sinA = m.create(sin, new Shape(t, headDim)).toType(dt, false).toDevice(x.getDevice(), false);
        NDArray x1 = x.get(new NDIndex("..., :{}", half));
        NDArray x2 = x.get(new NDIndex("..., {}:", half));
        NDArray rotated = x2.neg().concat(x1, -1);                 // (B, H, T, Dh)
        return x.mul(cosA).add(rotated.mul(sinA));
    }
}
