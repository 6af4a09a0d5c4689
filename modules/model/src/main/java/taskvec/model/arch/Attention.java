package taskvec.model.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * Multi-head attention with grouped key/value heads (numKvHeads divides numHeads; plain multi-head when
 * equal), optional per-head query/key norms (Persimmon's qk-layernorm, applied before RoPE), optional RoPE and
 * causal masking (optionally within a sliding window, as Mistral), and a two-part KV cache (see {@link LayerCache});
 * or, without RoPE and mask, queries from one input over keys and values from another (a perceiver's latents over
 * their context). Keys and values
 * are never copied per head group or per row: the query heads of a group, and for the shared prefix also the
 * rows, are stacked on the query axis, so each product is one plain batched matmul.
 */
public final class Attention {

    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear out;
    private final Norm qNorm; // null: none; else over each head's Dh values
    private final Norm kNorm;
    private final int numHeads;
    private final int numKvHeads;
    private final int headDim;
    private final RotaryEmbedding rope; // null: no rotary embedding
    private final boolean causal;
    private final int slidingWindow; // 0: none; else a query sees the keys less than this many positions back
    private final float scale;

    public Attention(Linear q, Linear k, Linear v, Linear out, int numHeads, int numKvHeads, int headDim,
                     RotaryEmbedding rope, boolean causal, int slidingWindow) {
        this(q, k, v, out, null, null, numHeads, numKvHeads, headDim, rope, causal, slidingWindow);
    }

    /**
     * @param qNorm norm of each query head over its Dh values, before RoPE (Persimmon's q_layernorm); null for none
     * @param kNorm the same for each key head; null exactly when qNorm is
     */
    public Attention(Linear q, Linear k, Linear v, Linear out, Norm qNorm, Norm kNorm, int numHeads, int numKvHeads,
                     int headDim, RotaryEmbedding rope, boolean causal, int slidingWindow) {
        this.q = q;
        this.k = k;
        this.v = v;
        this.out = out;
        if ((qNorm == null) != (kNorm == null)) {
            throw new IllegalArgumentException("query and key norms come together");
        }
        this.qNorm = qNorm;
        this.kNorm = kNorm;
        this.numHeads = numHeads;
        this.numKvHeads = numKvHeads;
        this.headDim = headDim;
        this.rope = rope;
        this.causal = causal;
        this.slidingWindow = slidingWindow;
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
        NDArray qh = q.forward(x).reshape(b, t, numHeads, headDim).transpose(0, 2, 1, 3);    // (B, H, T, Dh)
        NDArray kh = k.forward(x).reshape(b, t, numKvHeads, headDim).transpose(0, 2, 1, 3);  // (B, Hkv, T, Dh)
        NDArray vh = v.forward(x).reshape(b, t, numKvHeads, headDim).transpose(0, 2, 1, 3);  // (B, Hkv, T, Dh)
        if (qNorm != null) {
            qh = qNorm.forward(qh);                                                             // per head, over Dh
            kh = kNorm.forward(kh);
        }
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
            if (parts.size() == 2 && b == 1) {
                // one row: joining the parts costs no extra memory, and one matmul rounds like an unsplit run
                parts.set(0, new NDArray[] {parts.get(0)[0].concat(parts.get(1)[0], 2),
                        parts.get(0)[1].concat(parts.get(1)[1], 2)});
                parts.remove(1);
                partStarts.remove(1);
            }
        }
        return mix(qh, parts, partStarts, x, start);
    }

    /**
     * Attention of x's queries over keys and values projected from {@code source}, with no mask and no cache: how a
     * perceiver's latents read their context (source = context and latents side by side). Positions mean nothing
     * here, so an attention built with RoPE refuses.
     *
     * @param x      (B, T, D) the queries' input
     * @param source (B, S, D) the keys' and values' input
     */
    public NDArray forward(NDArray x, NDArray source) {
        if (rope != null || causal) {
            throw new IllegalStateException("attention over a separate source is defined without RoPE and causal mask");
        }
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        long s = source.getShape().get(1);
        NDArray qh = q.forward(x).reshape(b, t, numHeads, headDim).transpose(0, 2, 1, 3);         // (B, H, T, Dh)
        NDArray kh = k.forward(source).reshape(b, s, numKvHeads, headDim).transpose(0, 2, 1, 3);  // (B, Hkv, S, Dh)
        NDArray vh = v.forward(source).reshape(b, s, numKvHeads, headDim).transpose(0, 2, 1, 3);  // (B, Hkv, S, Dh)
        if (qNorm != null) {
            qh = qNorm.forward(qh);
            kh = kNorm.forward(kh);
        }
        List<NDArray[]> parts = new ArrayList<>();
        parts.add(new NDArray[] {kh, vh});
        return mix(qh, parts, List.of(0), x, 0);
    }

    /**
     * Softmax of scaled scores over every key part, weighted sum of the values, output projection.
     *
     * @param qh    (B, H, T, Dh) queries at absolute positions start..
     * @param parts {keys, values}, each (B or 1, Hkv, L, Dh), starting at partStarts
     * @param like  an array on the device and manager the causal mask belongs to
     */
    private NDArray mix(NDArray qh, List<NDArray[]> parts, List<Integer> partStarts, NDArray like, int start) {
        long b = qh.getShape().get(0);
        long t = qh.getShape().get(2);
        int groups = numHeads / numKvHeads;
        // query heads of one KV head side by side on the row axis: (B, Hkv, G*T, Dh); every matmul below is a
        // plain batched matmul, so keys and values are never copied per head group or per row
        NDArray qg = qh.reshape(b, numKvHeads, (long) groups * t, headDim);
        NDList scoreParts = new NDList();
        long[] lengths = new long[parts.size()];
        for (int i = 0; i < parts.size(); i++) {
            NDArray keys = parts.get(i)[0];
            lengths[i] = keys.getShape().get(2);
            scoreParts.add(batchedMatMul(qg, keys.transpose(0, 1, 3, 2), b));                   // (B, Hkv, G*T, L)
        }
        long total = 0;
        for (long length : lengths) {
            total += length;
        }
        NDArray scores = scoreParts.size() == 1 ? scoreParts.head() : NDArrays.concat(scoreParts, -1);
        DataType dt = scores.getDataType();
        scores = scores.mul(scale).toType(DataType.FLOAT32, false)
                .reshape(b, numKvHeads, groups, t, total);                                        // softmax in float32, as HF
        if (causal) {
            NDArray mask = causalMask(like, start, (int) t, partStarts, lengths, slidingWindow);
            if (mask != null) {
                scores = scores.add(mask);
            }
        }
        NDArray probs = scores.softmax(-1).toType(dt, false)
                .reshape(b, numKvHeads, (long) groups * t, total);                                 // (B, Hkv, G*T, Ltot)
        NDArray context = null;
        long offset = 0;
        for (int i = 0; i < parts.size(); i++) {
            NDArray p = parts.size() == 1 ? probs
                    : probs.get("..., " + offset + ":" + (offset + lengths[i]));
            offset += lengths[i];
            NDArray c = batchedMatMul(p, parts.get(i)[1], b);                                       // (B, Hkv, G*T, Dh)
            context = context == null ? c : context.add(c);
        }
        NDArray merged = context.reshape(b, numHeads, t, headDim).transpose(0, 2, 1, 3)
                .reshape(b, t, (long) numHeads * headDim);                                       // (B, T, H*Dh)
        return out.forward(merged);
    }

    /**
     * a (B, Hkv, M, K) times m (B or 1, Hkv, K, N) -> (B, Hkv, M, N). A batch-1 m (the shared prefix) is not
     * broadcast, which would copy it per row: the rows move onto a's M axis instead.
     */
    private static NDArray batchedMatMul(NDArray a, NDArray m, long b) {
        if (m.getShape().get(0) == b) {
            return a.matMul(m);
        }
        long[] s = a.getShape().getShape();
        NDArray rowsOnM = a.transpose(1, 0, 2, 3).reshape(s[1], b * s[2], s[3]);              // (Hkv, B*M, K)
        NDArray out = rowsOnM.matMul(m.squeeze(0));                                               // (Hkv, B*M, N)
        long n = out.getShape().get(2);
        return out.reshape(s[1], b, s[2], n).transpose(1, 0, 2, 3);                               // (B, Hkv, M, N)
    }

    /**
     * Additive mask (T, Ltot): -inf where a key sits after the query, or (sliding window w > 0) w or more
     * positions before it, as HF's sliding-window causal mask; null when no key is masked.
     */
    private static NDArray causalMask(NDArray like, int start, int t, List<Integer> partStarts, long[] lengths,
                                      int window) {
        int total = 0;
        int firstKey = Integer.MAX_VALUE;
        int lastKey = -1;
        for (int i = 0; i < lengths.length; i++) {
            total += (int) lengths[i];
            firstKey = Math.min(firstKey, partStarts.get(i));
            lastKey = Math.max(lastKey, partStarts.get(i) + (int) lengths[i] - 1);
        }
        boolean outsideWindow = window > 0 && start + t - 1 - firstKey >= window;
        if (lastKey <= start && !outsideWindow) {
            return null;
        }
        float[] mask = new float[t * total];
        for (int qi = 0; qi < t; qi++) {
            int col = 0;
            for (int i = 0; i < lengths.length; i++) {
                for (int j = 0; j < lengths[i]; j++, col++) {
                    int key = partStarts.get(i) + j;
                    int query = start + qi;
                    if (key > query || (window > 0 && query - key >= window)) {
                        mask[qi * total + col] = Float.NEGATIVE_INFINITY;
                    }
                }
            }
        }
        return like.getManager().create(mask, new Shape(t, total)).toDevice(like.getDevice(), false);
    }
}
