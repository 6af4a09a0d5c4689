package taskvec.model.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** LayerNorm over the last axis with biased variance (torch.nn.LayerNorm); statistics in float32. */
public final class LayerNorm implements Norm {

    private final NDArray weight; // (D)
    private final NDArray bias;   // (D)
    private final float eps;

    public LayerNorm(NDArray weight, NDArray bias, double eps) {
        this.weight = weight;
        this.bias = bias;
        this.eps = (float) eps;
    }

    public static LayerNorm load(Weights w, String prefix, long dim, double eps) {
        return new LayerNorm(w.take(prefix + ".weight", dim), w.take(prefix + ".bias", dim), eps);
    }

    @Override
    public NDArray forward(NDArray x) {
        DataType in = x.getDataType();
        NDArray x32 = x.toType(DataType.FLOAT32, false);
        NDArray mean = x32.mean(new int[] {-1}, true);           // (..., 1)
        NDArray centered = x32.sub(mean);
        NDArray variance = centered.square().mean(new int[] {-1}, true);
        NDArray normed = centered.div(variance.add(eps).sqrt());
        return normed.mul(weight.toType(DataType.FLOAT32, false)).add(bias.toType(DataType.FLOAT32, false)).toType(in, false);
    }
}
