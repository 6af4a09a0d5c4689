package taskvec.model.arch;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Constants give DJL's values forward and the right gradients backward, with garbage collections in between. */
class ConstantsTest {

    @Test
    void forwardAndBackwardThroughEveryConstantOp() {
        float[] xs = {-1.5f, 0.25f, 2f};
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.create(xs);
            assertArrayEquals(x.mul(0.5).toFloatArray(), Constants.times(x, 0.5).toFloatArray());
            assertArrayEquals(x.div(3.0).toFloatArray(), Constants.dividedBy(x, 3.0).toFloatArray());
            assertArrayEquals(x.pow(3).toFloatArray(), Constants.power(x, 3).toFloatArray());
            assertArrayEquals(x.maximum(0).toFloatArray(), Constants.atLeast(x, 0).toFloatArray());
            assertArrayEquals(new float[] {-0.75f, 0.125f, 1f},
                    Constants.times(m.create(xs).toType(DataType.FLOAT16, false), 0.5).toType(DataType.FLOAT32, false).toFloatArray());

            // d/dx sum(max(x, 0) * 0.5 / 4 + x^3) = [x > 0] / 8 + 3 x^2
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray y = Constants.dividedBy(Constants.times(Constants.atLeast(x, 0), 0.5), 4).add(Constants.power(x, 3)).sum();
                for (int i = 0; i < 5; i++) {
                    System.gc(); // the constants' memory must outlive a collection before backward reads it
                }
                gc.backward(y);
            }
            float[] expected = new float[xs.length];
            for (int i = 0; i < xs.length; i++) {
                expected[i] = (xs[i] > 0 ? 0.125f : 0f) + 3 * xs[i] * xs[i];
            }
            assertArrayEquals(expected, x.getGradient().toFloatArray(), 1e-6f);
        }
    }
}
