package taskvec.model.arch;

import ai.djl.ndarray.NDArray;

import java.util.function.UnaryOperator;

/** SwiGLU-style MLP: down(act(gate(x)) * up(x)). */
public final class GatedMlp implements FeedForward {

    private final Linear gate;
    private final Linear up;
    private final Linear down;
    private final UnaryOperator<NDArray> act;

    public GatedMlp(Linear gate, Linear up, Linear down, UnaryOperator<NDArray> act) {
        this.gate = gate;
        this.up = up;
        this.down = down;
        this.act = act;
    }

    @Override
    public NDArray forward(NDArray x) {
        return down.forward(act.apply(gate.forward(x)).mul(up.forward(x))); // (B, T, I) -> (B, T, D)
    }
}
