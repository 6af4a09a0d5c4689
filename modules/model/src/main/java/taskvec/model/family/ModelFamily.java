package taskvec.model.family;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import taskvec.model.EncodedPrompt;
import taskvec.model.arch.CausalDecoder;
import taskvec.model.hooks.HookPoints;
import taskvec.model.image.ImagePreprocessor;
import taskvec.model.layout.PromptLayout;

import java.util.Optional;

/**
 * One model family's forward around the decoder: where its image tokens go in a prompt ({@link #layout}), how its
 * images are preprocessed, and how ids and images become the decoder's input embeddings. The decoder (blocks,
 * final norm, LM head) is generic; batching, hooks on the decoder and decoding live outside, in
 * {@link taskvec.model.generate.BatchRunner}, so every family gets them unchanged.
 */
public interface ModelFamily {

    PromptLayout layout();

    /** The family's image processor; empty for text-only models (or a folder without preprocessor_config.json). */
    Optional<ImagePreprocessor> images();

    CausalDecoder decoder();

    /**
     * The input embeddings of one prompt, (1, T, D): token embeddings with the images' embeddings at their slots.
     * Vision-side hook sites fire on {@code visionHooks} with their whole tensors.
     */
    NDArray embed(EncodedPrompt prompt, NDManager scope, HookPoints visionHooks);

    /** Runs the vision side once on a blank input so a recorder sees its hook sites in order (nothing if none). */
    void traceVisionHooks(NDManager scope, HookPoints recorder);
}
