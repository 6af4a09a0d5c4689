package taskvec.model.arch;

import ai.djl.ndarray.NDArray;

/** The position-wise MLP of a transformer block. */
public interface FeedForward {
    NDArray forward(NDArray x);
}
