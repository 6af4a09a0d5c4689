package taskvec.model.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * Multi-head self-attention with grouped key/value heads (numKvHeads divides numHeads; plain multi-head when
 * equal), optional RoPE and causal masking, and a two-part KV cache (see {@link LayerCache}). Keys are never
 * repeated per head group: the query heads of a group are a separate axis that the matmul broadcasts over, and
 * the shared prefix (batch 1) is broadcast over the rows the same way.
 */
public final class Attention {

    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear out;
    private final int numHeads;
    private final int numKvHeads;
    private final int headDim;
    private final RotaryEmbedding rope; // null: no rotary embedding
    private final boolean causal;
    private final float scale;

    public Attention(Linear q, Linear k, Linear v, Linear out, int numHeads, int numKvHeads, int headDim,
                     RotaryEmbedding rope, boolean causal) {
        this.q = q;
        this.k = k;
        this.v = v;
        this.out = out;
        this.numHeads = numHeads;
        this.numKvHeads = numKvHeads;
        this.headDim = headDim;
        this.rope = rope;
        this.causal = causal;
        this.scale = (float) (1.0 / Math.sqrt(headDim));
    }

    /**
     * @param x     (B, T, D)
     * @param start absolute position of x's first step
     * @param cache keys/values of earlier positions, extended with this call's; null attends only within x
     */
    public NDArray forward(NDArray x, int start, LayerCache cache) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        int groups = numHeads / numKvHeads;
        NDArray qh = q.forward(x).reshape(b, t, numHeads, headDim).transpose(0, 2, 1, 3);    // (B, H, T, Dh)
        NDArray kh = k.forward(x).reshape(b, t, numKvHeads, headDim).transpose(0, 2, 1, 3);  // (B, Hkv, T, Dh)
        NDArray vh = v.forward(x).reshape(b, t, numKvHeads, headDim).transpose(0, 2, 1, 3);  // (B, Hkv, T, Dh)
        if (rope != null) {
            qh = rope.apply(qh, start);
            kh = rope.apply(kh, start);
        }
        List<NDArray[]> parts = new ArrayList<>(); // {keys, values}, each (B or 1, Hkv, L, Dh)
        List<Integer> partStarts = new ArrayList<>();
        if (cache == null) {
            parts.add(new NDArray[] {kh, vh});
            partStarts.add(start);
        } else {
            cache.append(kh, vh);
            if (cache.sharedKeys != null) {
                parts.add(new NDArray[] {cache.sharedKeys, cache.sharedValues});
                partStarts.add(0);
            }
            if (cache.rowKeys != null) {
                parts.add(new NDArray[] {cache.rowKeys, cache.rowValues});
                partStarts.add(cache.sharedLength());
            }
        }
        NDArray qg = qh.reshape(b, numKvHeads, groups, t, headDim);                          // (B, Hkv, G, T, Dh)
        NDList scoreParts = new NDList();
        long[] lengths = new long[parts.size()];
        for (int i = 0; i < parts.size(); i++) {
            NDArray keys = parts.get(i)[0];
            lengths[i] = keys.getShape().get(2);
            NDArray keysT = keys.expandDims(2).transpose(0, 1, 2, 4, 3);                         // (b, Hkv, 1, Dh, L)
            scoreParts.add(qg.matMul(keysT));                                                    // (B, Hkv, G, T, L)
        }
        NDArray scores = scoreParts.size() == 1 ? scoreParts.head() : NDArrays.concat(scoreParts, -1);
        DataType dt = scores.getDataType();
        scores = scores.mul(scale).toType(DataType.FLOAT32, false);                              // softmax in float32, as HF
        if (causal) {
            NDArray mask = causalMask(x, start, (int) t, partStarts, lengths);
            if (mask != null) {
                scores = scores.add(mask);
            }
        }
        NDArray probs = scores.softmax(-1).toType(dt, false);                                    // (B, Hkv, G, T, Ltot)
        NDArray context = null;
        long offset = 0;
        for (int i = 0; i < parts.size(); i++) {
            NDArray p = parts.size() == 1 ? probs
                    : probs.get("..., " + offset + ":" + (offset + lengths[i]));
            offset += lengths[i];
            NDArray c = p.matMul(parts.get(i)[1].expandDims(2));                                // (B, Hkv, G, T, Dh)
            context = context == null ? c : context.add(c);
        }
        NDArray merged = context.reshape(b, numHeads, t, headDim).transpose(0, 2, 1, 3)
                .reshape(b, t, (long) numHeads * headDim);                                       // (B, T, H*Dh)
        return out.forward(merged);
    }

    /** Additive mask (T, Ltot): -inf where a key sits after the query; null when no key does. */
    private static NDArray causalMask(NDArray like, int start, int t, List<Integer> partStarts, long[] lengths) {
        int total = 0;
        int lastKey = -1;
        for (int i = 0; i < lengths.length; i++) {
            total += (int) lengths[i];
            lastKey = Math.max(lastKey, partStarts.get(i) + (int) lengths[i] - 1);
        }
        if (lastKey <= start) {
            return null;
        }
        float[] mask = new float[t * total];
        for (int qi = 0; qi < t; qi++) {
            int col = 0;
            for (int i = 0; i < lengths.length; i++) {
                for (int j = 0; j < lengths[i]; j++, col++) {
                    if (partStarts.get(i) + j > start + qi) {
                        mask[qi * total + col] = Float.NEGATIVE_INFINITY;
                    }
                }
            }
        }
        return like.getManager().create(mask, new Shape(t, total)).toDevice(like.getDevice(), false);
    }
}
