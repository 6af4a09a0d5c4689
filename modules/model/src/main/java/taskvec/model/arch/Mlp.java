package taskvec.model.arch;

import ai.djl.ndarray.NDArray;

import java.util.function.UnaryOperator;

/** Two-layer MLP: fc2(act(fc1(x))). */
public final class Mlp implements FeedForward {

    private final Linear fc1;
    private final Linear fc2;
    private final UnaryOperator<NDArray> act;

    public Mlp(Linear fc1, Linear fc2, UnaryOperator<NDArray> act) {
        this.fc1 = fc1;
        this.fc2 = fc2;
        this.act = act;
    }

    @Override
    public NDArray forward(NDArray x) {
        return fc2.forward(act.apply(fc1.forward(x)));
    }
}
