package taskvec.model.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** RMSNorm as Hugging Face's LlamaRMSNorm: statistics in float32, cast back, then scaled by the weight. */
public final class RmsNorm implements Norm {

    private final NDArray weight; // (D)
    private final float eps;

    public RmsNorm(NDArray weight, double eps) {
        this.weight = weight;
        this.eps = (float) eps;
    }

    @Override
    public NDArray forward(NDArray x) {
        DataType in = x.getDataType();
        NDArray x32 = x.toType(DataType.FLOAT32, false);
        NDArray variance = x32.square().mean(new int[] {-1}, true); // (..., 1)
        NDArray normed = x32.div(variance.add(eps).sqrt()).toType(in, false);
        return normed.mul(weight);
    }
}
