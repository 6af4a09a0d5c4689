package taskvec.model.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * RoPE with Hugging Face's rotate_half convention over the first {@code rotaryDim} values of each head (all of
 * them, or a part as Persimmon's partial_rotary_factor says; the rest pass unchanged): those are split into two
 * halves, and frequency i rotates the pair (x[i], x[i + r/2]). Angles are computed in double precision once, for
 * the positions up to max_position_embeddings; later positions are computed per call.
 */
public final class RotaryEmbedding {

    private final int rotaryDim;
    private final double[] invFreq; // (r/2)
    private final NDArray cosTable; // (Tmax, r), in the weights' dtype and device
    private final NDArray sinTable;

    /**
     * @param rotaryDim how many leading values of each head rotate (the head dimension for full RoPE)
     * @param invFreq   the inverse frequency of each rotated pair, (rotaryDim/2)
     */
    public RotaryEmbedding(int rotaryDim, double[] invFreq, int maxPositions, NDManager manager, DataType dtype) {
        if (invFreq.length * 2 != rotaryDim) {
            throw new IllegalArgumentException(invFreq.length + " frequencies for " + rotaryDim + " rotated values");
        }
        this.rotaryDim = rotaryDim;
        this.invFreq = invFreq.clone();
        NDArray[] tables = tables(manager, 0, maxPositions, dtype);
        this.cosTable = tables[0];
        this.sinTable = tables[1];
    }

    /** Rotates x (B, H, T, Dh) whose time steps sit at absolute positions start .. start+T-1. */
    public NDArray apply(NDArray x, int start) {
        long headDim = x.getShape().get(3);
        if (headDim > rotaryDim) {
            // partial rotary: rotate the leading values, pass the rest
            NDArray rotated = apply(x.get(new NDIndex("..., :{}", rotaryDim)), start);        // (B, H, T, r)
            return rotated.concat(x.get(new NDIndex("..., {}:", rotaryDim)), -1);            // (B, H, T, Dh)
        }
        int t = (int) x.getShape().get(2);
        NDManager m = x.getManager();
        NDArray cos;
        NDArray sin;
        if (start + t <= cosTable.getShape().get(0)) {
            NDIndex rows = new NDIndex("{}:{}", start, start + t);
            cos = cosTable.get(m, rows);                               // (T, Dh)
            sin = sinTable.get(m, rows);
        } else {
            NDArray[] tables = tables(m, start, t, x.getDataType());
            cos = tables[0];
            sin = tables[1];
        }
        int half = rotaryDim / 2;
        NDArray x1 = x.get(new NDIndex("..., :{}", half));
        NDArray x2 = x.get(new NDIndex("..., {}:", half));
        NDArray rotated = x2.neg().concat(x1, -1);                     // (B, H, T, Dh)
        return x.mul(cos).add(rotated.mul(sin));
    }

    private NDArray[] tables(NDManager m, int start, int t, DataType dtype) {
        float[] cos = new float[t * rotaryDim];
        float[] sin = new float[t * rotaryDim];
        int half = rotaryDim / 2;
        for (int p = 0; p < t; p++) {
            for (int i = 0; i < half; i++) {
                double angle = (start + p) * invFreq[i];
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                cos[p * rotaryDim + i] = c;
                cos[p * rotaryDim + i + half] = c;
                sin[p * rotaryDim + i] = s;
                sin[p * rotaryDim + i + half] = s;
            }
        }
        return new NDArray[] {
                m.create(cos, new Shape(t, rotaryDim)).toType(dtype, false),
                m.create(sin, new Shape(t, rotaryDim)).toType(dtype, false)};
    }
}
