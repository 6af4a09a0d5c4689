package taskvec.model.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

import java.util.function.UnaryOperator;

/** The activation functions Hugging Face configs name (ACT2FN), built from differentiable NDArray ops. */
public final class Activations {

    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

    private Activations() {
    }

    /** The function for a config's hidden_act; an unknown name is an IllegalArgumentException. */
    public static UnaryOperator<NDArray> byName(String name) {
        switch (name) {
            case "silu": case "swish":
                return x -> x.mul(sigmoid(x));
            case "gelu":
                // exact GELU: 0.5 x (1 + erf(x / sqrt 2))
                return x -> x.mul(x.div(Math.sqrt(2.0)).erf().add(1).mul(0.5));
            case "gelu_pytorch_tanh": case "gelu_new": case "gelu_fast":
                return x -> x.mul(x.pow(3).mul(0.044715).add(x).mul(SQRT_2_OVER_PI).tanh().add(1).mul(0.5));
            case "quick_gelu":
                return x -> x.mul(sigmoid(x.mul(1.702)));
            case "relu":
                return x -> x.maximum(0);
            case "relu2":
                // squared ReLU (Persimmon's MLP)
                return x -> x.maximum(0).square();
            default:
                throw new IllegalArgumentException("activation '" + name + "' is not supported");
        }
    }

    private static NDArray sigmoid(NDArray x) {
        return Activation.sigmoid(x);
    }
}
