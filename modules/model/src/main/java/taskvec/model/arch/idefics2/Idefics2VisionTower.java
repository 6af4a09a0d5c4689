package taskvec.model.arch.idefics2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import taskvec.model.arch.LayerNorm;
import taskvec.model.arch.PatchEmbedding;
import taskvec.model.arch.TransformerBlock;
import taskvec.model.arch.Weights;
import taskvec.model.arch.clip.VitEncoderLayers;
import taskvec.model.config.VisionConfig;
import taskvec.model.hooks.HookName;
import taskvec.model.hooks.HookPoints;

import java.util.List;

/**
 * Idefics2's NaViT-style SigLIP vision transformer: patch embedding with bias, NaViT position ids into a learned
 * side x side table (see {@link NavitPositionIds}), SigLIP's encoder layers (CLIP's names), then post_layernorm,
 * whose output Idefics2 reads. Each crop runs on its own, on its whole patches only (floor(H/p) x floor(W/p)):
 * Hugging Face pads a batch and masks the patches that are not wholly real, which computes the same.
 */
public final class Idefics2VisionTower {

    public static final HookName EMBED = new HookName("vision.hook_embed");
    public static final HookName FEATURES = new HookName("vision.hook_features");

    private final PatchEmbedding patches;
    private final NDArray positionTable; // (side*side, Dv)
    private final List<TransformerBlock> blocks;
    private final LayerNorm postNorm;
    private final int patchSize;
    private final int side;

    private Idefics2VisionTower(PatchEmbedding patches, NDArray positionTable, List<TransformerBlock> blocks,
                                LayerNorm postNorm, int patchSize, int side) {
        this.patches = patches;
        this.positionTable = positionTable;
        this.blocks = blocks;
        this.postNorm = postNorm;
        this.patchSize = patchSize;
        this.side = side;
    }

    /** @param prefix e.g. "model.vision_model." */
    public static Idefics2VisionTower load(Weights w, String prefix, VisionConfig c) {
        long d = c.hiddenSize();
        long p = c.patchSize();
        int side = c.imageSize() / c.patchSize();
        PatchEmbedding patches = new PatchEmbedding(
                w.take(prefix + "embeddings.patch_embedding.weight", d, c.numChannels(), p, p),
                w.take(prefix + "embeddings.patch_embedding.bias", d));
        NDArray table = w.take(prefix + "embeddings.position_embedding.weight", (long) side * side, d);
        LayerNorm post = LayerNorm.load(w, prefix + "post_layernorm", d, c.layerNormEps());
        return new Idefics2VisionTower(patches, table, VitEncoderLayers.load(w, prefix, c), post, c.patchSize(), side);
    }

    public int patchSize() {
        return patchSize;
    }

    public int numLayers() {
        return blocks.size();
    }

    /** Whole patches of a crop of height x width pixels: {rows, cols}. */
    public int[] grid(int height, int width) {
        return new int[] {height / patchSize, width / patchSize};
    }

    /**
     * One crop's features after post_layernorm, its whole patches row-major.
     *
     * @param pixels (1, C, H, W) with at least one whole patch
     * @return (1, rows*cols, Dv)
     */
    public NDArray encode(NDArray pixels, HookPoints hooks) {
        long[] s = pixels.getShape().getShape();
        int[] grid = grid((int) s[2], (int) s[3]);
        if (grid[0] == 0 || grid[1] == 0) {
            throw new IllegalArgumentException("an image of " + s[3] + "x" + s[2] + " pixels holds no whole "
                    + patchSize + "x" + patchSize + " patch");
        }
        NDArray whole = pixels.get(new NDIndex(":, :, :{}, :{}", grid[0] * patchSize, grid[1] * patchSize))
                .toType(positionTable.getDataType(), false);                                   // (1, C, rows*p, cols*p)
        NDArray x = patches.forward(whole);                                                     // (1, S, Dv)
        NDArray ids = pixels.getManager().create(NavitPositionIds.of(grid[0], grid[1], side));
        NDArray positions = positionTable.get(pixels.getManager(), new NDIndex("{}", ids));    // (S, Dv)
        x = hooks.at(EMBED, x.add(positions.reshape(new Shape(1, ids.size(), -1))), 0);
        for (TransformerBlock block : blocks) {
            x = block.forward(x, 0, null, hooks);
        }
        return hooks.at(FEATURES, postNorm.forward(x), 0);                                     // (1, S, Dv)
    }
}
