package taskvec.model.arch;

import ai.djl.ndarray.NDArray;
import taskvec.model.hooks.HookPoints;

import java.util.List;

/** A ViT image encoder as LLaVA reads it: all hidden states, Hugging Face's output_hidden_states order. */
public interface VisionTower {

    /**
     * @param pixels (N, C, H, W)
     * @return numLayers + 1 tensors (N, S, Dv): the embeddings first, then the output of each layer
     */
    List<NDArray> hiddenStates(NDArray pixels, HookPoints hooks);

    int numLayers();
}
