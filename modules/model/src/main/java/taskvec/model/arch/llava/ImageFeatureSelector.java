package taskvec.model.arch.llava;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;

import java.util.List;

/**
 * Picks LLaVA's image features from the vision tower's hidden states: vision_feature_layer indexes the
 * hidden-state list (negative from the end, HF semantics; several layers are concatenated on the feature axis),
 * and the "default" strategy drops the first token while "full" keeps all.
 */
public final class ImageFeatureSelector {

    private final int[] layers;
    private final boolean dropFirst;

    public ImageFeatureSelector(int[] layers, boolean dropFirst) {
        this.layers = layers.clone();
        this.dropFirst = dropFirst;
    }

    /** states: numLayers+1 tensors (N, S, Dv) -> (N, n, Dv * layers). */
    public NDArray select(List<NDArray> states) {
        NDList picked = new NDList();
        for (int layer : layers) {
            NDArray h = states.get(layer < 0 ? states.size() + layer : layer);
            picked.add(dropFirst ? h.get(new NDIndex(":, 1:")) : h);              // (N, n, Dv)
        }
        return picked.size() == 1 ? picked.head() : NDArrays.concat(picked, -1);
    }
}
