package taskvec.model.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a constant that stays valid under autograd. DJL's {@code mul(Number)}, {@code div(Number)},
 * {@code pow(Number)} and {@code maximum(Number)} wrap the constant in a tensor over a Java direct buffer and close
 * it right after the op; a backward pass that reads the saved constant then reads memory the garbage collector may
 * already have freed (seen in training as rare NaN, or silently wrong gradients that differ from run to run).
 * These constants live in libtorch's own memory, which autograd keeps alive for as long as it needs them. The
 * arithmetic is the same: the constant has the operand's dtype, as a Python scalar would be cast.
 */
public final class Constants {

    private Constants() {
    }

    /** x * c */
    public static NDArray times(NDArray x, double c) {
        try (NDArray k = of(x, c)) {
            return x.mul(k);
        }
    }

    /** x / c */
    public static NDArray dividedBy(NDArray x, double c) {
        try (NDArray k = of(x, c)) {
            return x.div(k);
        }
    }

    /** x ^ e */
    public static NDArray power(NDArray x, double e) {
        try (NDArray k = of(x, e)) {
            return x.pow(k);
        }
    }

    /** max(x, c), elementwise */
    public static NDArray atLeast(NDArray x, double c) {
        try (NDArray k = of(x, c)) {
            return x.maximum(k);
        }
    }

    private static NDArray of(NDArray like, double c) {
        return like.getManager().full(new Shape(), (float) c, like.getDataType()).toDevice(like.getDevice(), false);
    }
}
