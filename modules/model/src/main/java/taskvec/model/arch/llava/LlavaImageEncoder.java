package taskvec.model.arch.llava;

import ai.djl.ndarray.NDArray;
import taskvec.model.arch.VisionTower;
import taskvec.model.hooks.HookName;
import taskvec.model.hooks.HookPoints;

/** Images to the embeddings that replace LLaVA's image tokens: vision tower, feature selection, projector. */
public final class LlavaImageEncoder {

    public static final HookName FEATURES = new HookName("vision.hook_features");
    public static final HookName PROJECTED = new HookName("projector.hook_out");

    private final VisionTower tower;
    private final ImageFeatureSelector selector;
    private final LlavaProjector projector;

    public LlavaImageEncoder(VisionTower tower, ImageFeatureSelector selector, LlavaProjector projector) {
        this.tower = tower;
        this.selector = selector;
        this.projector = projector;
    }

    public VisionTower tower() {
        return tower;
    }

    /** pixels (N, C, H, W) -> (N, n, D) */
    public NDArray encode(NDArray pixels, HookPoints hooks) {
        NDArray features = hooks.at(FEATURES, selector.select(tower.hiddenStates(pixels, hooks)), 0); // (N, n, Dv)
        return hooks.at(PROJECTED, projector.forward(features), 0);                                   // (N, n, D)
    }
}
