package taskvec.model.arch.llava;

import ai.djl.ndarray.NDArray;
import taskvec.model.arch.Activations;
import taskvec.model.arch.Linear;
import taskvec.model.arch.Weights;

import java.util.function.UnaryOperator;

/** LLaVA's multi-modal projector: linear_2(act(linear_1(features))), vision width to text width. */
public final class LlavaProjector {

    private final Linear linear1;
    private final Linear linear2;
    private final UnaryOperator<NDArray> act;

    public LlavaProjector(Linear linear1, Linear linear2, UnaryOperator<NDArray> act) {
        this.linear1 = linear1;
        this.linear2 = linear2;
        this.act = act;
    }

    public static LlavaProjector load(Weights w, String prefix, long visionWidth, long textWidth, String act, boolean bias) {
        return new LlavaProjector(
                Linear.load(w, prefix + "linear_1", visionWidth, textWidth, bias),
                Linear.load(w, prefix + "linear_2", textWidth, textWidth, bias),
                Activations.byName(act));
    }

    /** (N, n, Dv) -> (N, n, D). */
    public NDArray forward(NDArray features) {
        return linear2.forward(act.apply(linear1.forward(features)));
    }
}
