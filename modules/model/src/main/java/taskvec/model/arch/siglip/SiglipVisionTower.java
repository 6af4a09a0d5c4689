package taskvec.model.arch.siglip;

import ai.djl.ndarray.NDArray;
import taskvec.model.arch.LayerNorm;
import taskvec.model.arch.PatchEmbedding;
import taskvec.model.arch.TransformerBlock;
import taskvec.model.arch.VisionTower;
import taskvec.model.arch.Weights;
import taskvec.model.arch.clip.VitEncoderLayers;
import taskvec.model.config.VisionConfig;
import taskvec.model.hooks.HookName;
import taskvec.model.hooks.HookPoints;

import java.util.ArrayList;
import java.util.List;

/**
 * SigLIP's vision transformer: patch embedding with bias, learned position embeddings, no class token and no
 * pre-layernorm; CLIP's encoder layers.
 */
public final class SiglipVisionTower implements VisionTower {

    private static final HookName EMBED = new HookName("vision.hook_embed");

    private final PatchEmbedding patches;
    private final NDArray positionEmbedding; // (S, D)
    private final List<TransformerBlock> blocks;
    private final LayerNorm postNorm;        // null when the checkpoint has none

    private SiglipVisionTower(PatchEmbedding patches, NDArray positionEmbedding, List<TransformerBlock> blocks,
                              LayerNorm postNorm) {
        this.patches = patches;
        this.positionEmbedding = positionEmbedding;
        this.blocks = blocks;
        this.postNorm = postNorm;
    }

    /** @param prefix e.g. "model.vision_tower.vision_model." */
    public static SiglipVisionTower load(Weights w, String prefix, VisionConfig c, boolean withPostNorm) {
        long d = c.hiddenSize();
        long p = c.patchSize();
        PatchEmbedding patches = new PatchEmbedding(
                w.take(prefix + "embeddings.patch_embedding.weight", d, c.numChannels(), p, p),
                w.take(prefix + "embeddings.patch_embedding.bias", d));
        NDArray pos = w.take(prefix + "embeddings.position_embedding.weight", c.tokensPerImage(), d);
        List<TransformerBlock> blocks = VitEncoderLayers.load(w, prefix, c);
        LayerNorm post = withPostNorm ? LayerNorm.load(w, prefix + "post_layernorm", d, c.layerNormEps()) : null;
        return new SiglipVisionTower(patches, pos, blocks, post);
    }

    @Override
    public int numLayers() {
        return blocks.size();
    }

    @Override
    public List<NDArray> hiddenStates(NDArray pixels, HookPoints hooks) {
        NDArray x = patches.forward(pixels.toType(positionEmbedding.getDataType(), false)); // (N, S, D)
        x = hooks.at(EMBED, x.add(positionEmbedding), 0);
        List<NDArray> states = new ArrayList<>();
        states.add(x);
        for (TransformerBlock block : blocks) {
            x = block.forward(x, 0, null, hooks);
            states.add(x);
        }
        if (postNorm != null) {
            // LLaVA-style SigLIP towers hand out the post-layernormed last state as the final hidden state
            states.set(states.size() - 1, postNorm.forward(x));
        }
        return states;
    }
}
