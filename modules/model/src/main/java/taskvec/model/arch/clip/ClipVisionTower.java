package taskvec.model.arch.clip;

import ai.djl.ndarray.NDArray;
import taskvec.model.arch.LayerNorm;
import taskvec.model.arch.PatchEmbedding;
import taskvec.model.arch.TransformerBlock;
import taskvec.model.arch.VisionTower;
import taskvec.model.arch.Weights;
import taskvec.model.config.VisionConfig;
import taskvec.model.hooks.HookName;
import taskvec.model.hooks.HookPoints;

import java.util.ArrayList;
import java.util.List;

/**
 * CLIP's vision transformer: patch embedding without bias, a class token in front, learned position
 * embeddings, then pre_layrnorm (sic, HF's name) before the encoder. Its post_layernorm only feeds the pooled
 * output, which LLaVA does not use.
 */
public final class ClipVisionTower implements VisionTower {

    private static final HookName EMBED = new HookName("vision.hook_embed");

    private final PatchEmbedding patches;
    private final NDArray classEmbedding;    // (D)
    private final NDArray positionEmbedding; // (S+1, D)
    private final LayerNorm preNorm;
    private final List<TransformerBlock> blocks;

    private ClipVisionTower(PatchEmbedding patches, NDArray classEmbedding, NDArray positionEmbedding,
                            LayerNorm preNorm, List<TransformerBlock> blocks) {
        this.patches = patches;
        this.classEmbedding = classEmbedding;
        this.positionEmbedding = positionEmbedding;
        this.preNorm = preNorm;
        this.blocks = blocks;
    }

    /** @param prefix e.g. "vision_tower.vision_model." */
    public static ClipVisionTower load(Weights w, String prefix, VisionConfig c) {
        long d = c.hiddenSize();
        long p = c.patchSize();
        PatchEmbedding patches = new PatchEmbedding(
                w.take(prefix + "embeddings.patch_embedding.weight", d, c.numChannels(), p, p), null);
        NDArray cls = w.take(prefix + "embeddings.class_embedding", d);
        NDArray pos = w.take(prefix + "embeddings.position_embedding.weight", c.tokensPerImage(), d);
        LayerNorm pre = LayerNorm.load(w, prefix + "pre_layrnorm", d, c.layerNormEps());
        return new ClipVisionTower(patches, cls, pos, pre, VitEncoderLayers.load(w, prefix, c));
    }

    @Override
    public int numLayers() {
        return blocks.size();
    }

    @Override
    public List<NDArray> hiddenStates(NDArray pixels, HookPoints hooks) {
        NDArray x = patches.forward(pixels.toType(classEmbedding.getDataType(), false)); // (N, S, D)
        long n = x.getShape().get(0);
        long d = x.getShape().get(2);
        NDArray cls = classEmbedding.reshape(1, 1, d).broadcast(n, 1, d);                // (N, 1, D)
        x = cls.concat(x, 1).add(positionEmbedding);                                     // (N, S+1, D)
        x = hooks.at(EMBED, preNorm.forward(x), 0);
        List<NDArray> states = new ArrayList<>();
        states.add(x);
        for (TransformerBlock block : blocks) {
            x = block.forward(x, 0, null, hooks);
            states.add(x);
        }
        return states;
    }
}
