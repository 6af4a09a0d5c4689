package taskvec.model.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import taskvec.model.hooks.HookName;
import taskvec.model.hooks.HookPoints;

import java.util.List;

/**
 * A decoder-only language model: token embedding table, a stack of blocks, final norm and LM head. The block
 * loop is written once here; architectures only wire weights into it.
 */
public final class CausalDecoder {

    private static final HookName LN_FINAL = new HookName("ln_final.hook_normalized");

    private final NDArray embedTable;   // (V, D)
    private final List<TransformerBlock> blocks;
    private final Norm finalNorm;
    private final Linear lmHead;

    public CausalDecoder(NDArray embedTable, List<TransformerBlock> blocks, Norm finalNorm, Linear lmHead) {
        this.embedTable = embedTable;
        this.blocks = List.copyOf(blocks);
        this.finalNorm = finalNorm;
        this.lmHead = lmHead;
    }

    public int numLayers() {
        return blocks.size();
    }

    public NDArray embedTable() {
        return embedTable;
    }

    /** Token embeddings of ids (B, T) int64 -> (B, T, D). */
    public NDArray embed(NDArray ids) {
        long[] shape = ids.getShape().getShape();
        // result in the ids' manager, so per-call arrays never land in the weights' manager
        NDArray flat = embedTable.get(ids.getManager(), new NDIndex("{}", ids.flatten())); // (B*T, D)
        return flat.reshape(shape[0], shape[1], embedTable.getShape().get(1)); // (B, T, D)
    }

    /** Token embeddings of one prompt's ids, (1, T, D), in scope's manager. */
    public NDArray embed(int[] ids, NDManager scope) {
        long[] lookup = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            lookup[i] = ids[i];
        }
        return embed(scope.create(lookup, new Shape(1, ids.length)));
    }

    /** Runs every block over x (B, T, D) at positions start..; returns the last residual stream. */
    public NDArray layers(NDArray x, int start, KvCache cache, HookPoints hooks) {
        for (int l = 0; l < blocks.size(); l++) {
            x = blocks.get(l).forward(x, start, cache == null ? null : cache.layer(l), hooks);
        }
        return x;
    }

    /** The final norm, (B, T, D) -> (B, T, D), at the ln_final.hook_normalized site. */
    public NDArray normalize(NDArray residual, int start, HookPoints hooks) {
        return hooks.at(LN_FINAL, finalNorm.forward(residual), start);
    }

    /** The LM head: (..., D) -> (..., V). */
    public NDArray head(NDArray normalized) {
        return lmHead.forward(normalized);
    }

    /** Final norm then LM head: (B, T, D) -> (B, T, V). */
    public NDArray logits(NDArray residual, int start, HookPoints hooks) {
        return head(normalize(residual, start, hooks));
    }
}
