package taskvec.model.hooks;

import ai.djl.ndarray.NDArray;

/**
 * What a component calls at each hook site: it gets {@code x} back unchanged when nothing is registered there,
 * otherwise a (non in-place) patched copy. Captures are recorded on the side.
 */
public interface HookPoints {

    /** No hooks: every site is the identity. */
    HookPoints NONE = (name, x, startPosition) -> x;

    /**
     * @param x             activations at this site, (B, T, D)
     * @param startPosition absolute position of x's first time step (non-zero after a cached prefix)
     */
    NDArray at(HookName name, NDArray x, int startPosition);
}
