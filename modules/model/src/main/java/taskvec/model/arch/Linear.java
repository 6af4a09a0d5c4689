package taskvec.model.arch;

import ai.djl.ndarray.NDArray;

/** y = x W^T + b, with W stored (out, in) as Hugging Face stores it. */
public final class Linear {

    private final NDArray weightT; // (in, out)
    private final NDArray bias;    // (out) or null

    public Linear(NDArray weight, NDArray bias) {
        this.weightT = weight.transpose();
        this.bias = bias;
    }

    public static Linear load(Weights w, String prefix, long in, long out, boolean withBias) {
        return new Linear(w.take(prefix + ".weight", out, in), withBias ? w.take(prefix + ".bias", out) : null);
    }

    public NDArray forward(NDArray x) {
        NDArray y = x.matMul(weightT); // (..., out)
        return bias == null ? y : y.add(bias);
    }
}
