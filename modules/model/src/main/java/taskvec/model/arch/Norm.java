package taskvec.model.arch;

import ai.djl.ndarray.NDArray;

/** A normalization over the last axis. */
public interface Norm {
    NDArray forward(NDArray x);
}
