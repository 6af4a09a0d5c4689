package taskvec.model.arch;

import ai.djl.ndarray.NDArray;
import taskvec.model.hooks.HookName;
import taskvec.model.hooks.HookPoints;

/** A pre-norm transformer block: two residual lines, with a hook at each of the five TransformerLens sites. */
public final class TransformerBlock {

    private final Norm norm1;
    private final Attention attention;
    private final Norm norm2;
    private final FeedForward mlp;
    private final HookName residPre;
    private final HookName attnOut;
    private final HookName residMid;
    private final HookName mlpOut;
    private final HookName residPost;

    /** @param hookPrefix "" for the language model, "vision." for the vision tower */
    public TransformerBlock(Norm norm1, Attention attention, Norm norm2, FeedForward mlp, String hookPrefix, int layer) {
        this.norm1 = norm1;
        this.attention = attention;
        this.norm2 = norm2;
        this.mlp = mlp;
        this.residPre = HookName.block(hookPrefix, layer, "hook_resid_pre");
        this.attnOut = HookName.block(hookPrefix, layer, "hook_attn_out");
        this.residMid = HookName.block(hookPrefix, layer, "hook_resid_mid");
        this.mlpOut = HookName.block(hookPrefix, layer, "hook_mlp_out");
        this.residPost = HookName.block(hookPrefix, layer, "hook_resid_post");
    }

    /** x (B, T, D) at absolute positions start..; cache may be null (no cache, attend within x). */
    public NDArray forward(NDArray x, int start, LayerCache cache, HookPoints hooks) {
        x = hooks.at(residPre, x, start);
        NDArray attn = hooks.at(attnOut, attention.forward(norm1.forward(x), start, cache), start);
        x = hooks.at(residMid, x.add(attn), start);
        NDArray ff = hooks.at(mlpOut, mlp.forward(norm2.forward(x)), start);
        return hooks.at(residPost, x.add(ff), start);
    }
}
