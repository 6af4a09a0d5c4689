package taskvec.model.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * The activation functions Hugging Face configs name (ACT2FN), built from differentiable NDArray ops (constants
 * through {@link Constants}, so the organism trainer's backward pass reads valid memory).
 */
public final class Activations {

    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

    private static final UnaryOperator<NDArray> SILU = x -> x.mul(Activation.sigmoid(x));
    private static final UnaryOperator<NDArray> GELU_TANH =
            x -> x.mul(Constants.times(Constants.times(Constants.times(Constants.power(x, 3), 0.044715).add(x), SQRT_2_OVER_PI)
                    .tanh().add(1), 0.5));

    /** One function for each name in {@link taskvec.model.config.ConfigReader#ACTIVATIONS}, which the config reader accepts. */
    private static final Map<String, UnaryOperator<NDArray>> BY_NAME = Map.of(
            "silu", SILU,
            "swish", SILU,
            // exact GELU: 0.5 x (1 + erf(x / sqrt 2))
            "gelu", x -> x.mul(Constants.times(Constants.dividedBy(x, Math.sqrt(2.0)).erf().add(1), 0.5)),
            "gelu_pytorch_tanh", GELU_TANH,
            "gelu_new", GELU_TANH,
            "gelu_fast", GELU_TANH,
            "quick_gelu", x -> x.mul(Activation.sigmoid(Constants.times(x, 1.702))),
            "relu", x -> Constants.atLeast(x, 0),
            // squared ReLU (Persimmon's MLP)
            "relu2", x -> Constants.atLeast(x, 0).square());

    private Activations() {
    }

    /** The function for a config's hidden_act; an unknown name is an IllegalArgumentException. */
    public static UnaryOperator<NDArray> byName(String name) {
        UnaryOperator<NDArray> f = BY_NAME.get(name);
        if (f == null) {
            throw new IllegalArgumentException("activation '" + name + "' is not supported");
        }
        return f;
    }

    /** The names implemented, sorted (a test checks they are the config reader's list). */
    public static SortedSet<String> names() {
        return new TreeSet<>(BY_NAME.keySet());
    }
}
