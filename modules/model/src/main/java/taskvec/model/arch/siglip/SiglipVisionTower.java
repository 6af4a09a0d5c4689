package taskvec.model.arch.siglip;

import ai.djl.ndarray.NDArray;
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
 * pre-layernorm; CLIP's encoder layers. Its post_layernorm (and pooling head) only feed the pooled output:
 * Hugging Face's hidden_states, which LLaVA reads, never pass through it, the last one included.
 */
public final class SiglipVisionTower implements VisionTower {

    private static final HookName EMBED = new HookName("vision.hook_embed");

    private final PatchEmbedding patches;
    private final NDArray positionEmbedding; // (S, D)
    private final List<TransformerBlock> blocks;

    private SiglipVisionTower(PatchEmbedding patches, NDArray positionEmbedding, List<TransformerBlock> blocks) {
        this.patches = patches;
        this.positionEmbedding = positionEmbedding;
        this.blocks = blocks;
    }

    /** @param prefix e.g. "model.vision_tower.vision_model." */
    public static SiglipVisionTower load(Weights w, String prefix, VisionConfig c) {
        long d = c.hiddenSize();
        long p = c.patchSize();
        PatchEmbedding patches = new PatchEmbedding(
                w.take(prefix + "embeddings.patch_embedding.weight", d, c.numChannels(), p, p),
                w.take(prefix + "embeddings.patch_embedding.bias", d));
        NDArray pos = w.take(prefix + "embeddings.position_embedding.weight", c.tokensPerImage(), d);
        return new SiglipVisionTower(patches, pos, VitEncoderLayers.load(w, prefix, c));
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
        return states;
    }
}
