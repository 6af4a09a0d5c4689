package taskvec.organism.train;

import ai.djl.ndarray.NDArray;
import taskvec.model.arch.Constants;
import taskvec.model.arch.Linear;
import taskvec.model.arch.RotaryEmbedding;

/**
 * Self-attention for training: the same computation as the runtime's Attention for a Llama layer (RoPE) or a
 * CLIP layer (no RoPE, no mask) over whole sequences from position 0, with an additive mask given per call, so
 * the trainer can block chosen query-key pairs (the late-read regime) on top of causality. Plain multi-head
 * matmuls, no KV cache. (Garbage vision gradients were first seen with the runtime's grouped attention in the
 * vision tower, and once more with this form, so the trainer also recomputes a step whose gradients are not sane.)
 */
final class MaskedSelfAttention {

    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear out;
    private final int numHeads;
    private final int headDim;
    private final RotaryEmbedding rope; // null: none (the vision tower)
    private final float scale;

    MaskedSelfAttention(Linear q, Linear k, Linear v, Linear out, int numHeads, int headDim, RotaryEmbedding rope) {
        this.q = q;
        this.k = k;
        this.v = v;
        this.out = out;
        this.numHeads = numHeads;
        this.headDim = headDim;
        this.rope = rope;
        this.scale = (float) (1.0 / Math.sqrt(headDim));
    }

    /**
     * @param x    (B, T, D)
     * @param mask (B, 1, T, T) additive: 0 where the query may attend the key, a large negative number elsewhere;
     *             null attends everywhere (the vision tower)
     */
    NDArray forward(NDArray x, NDArray mask) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        NDArray qh = q.forward(x).reshape(b, t, numHeads, headDim).transpose(0, 2, 1, 3);                // (B, H, T, Dh)
        NDArray kh = k.forward(x).reshape(b, t, numHeads, headDim).transpose(0, 2, 1, 3);                // (B, H, T, Dh)
        if (rope != null) {
            qh = rope.apply(qh, 0);
            kh = rope.apply(kh, 0);
        }
        NDArray vh = v.forward(x).reshape(b, t, numHeads, headDim).transpose(0, 2, 1, 3);                // (B, H, T, Dh)
        NDArray scores = Constants.times(qh.matMul(kh.transpose(0, 1, 3, 2)), scale);                     // (B, H, T, T)
        if (mask != null) {
            scores = scores.add(mask);
        }
        NDArray context = scores.softmax(-1).matMul(vh);                                                 // (B, H, T, Dh)
        return out.forward(context.transpose(0, 2, 1, 3).reshape(b, t, (long) numHeads * headDim));      // (B, T, D)
    }
}
