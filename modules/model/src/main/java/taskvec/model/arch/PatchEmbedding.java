package taskvec.model.arch;

import ai.djl.ndarray.NDArray;

/** A stride-P, kernel-P convolution over image patches, written as one matmul over flattened patches. */
public final class PatchEmbedding {

    private final NDArray weightT; // (C*P*P, D)
    private final NDArray bias;    // (D) or null
    private final int patch;

    /** @param weight (D, C, P, P) as the checkpoint stores the conv kernel */
    public PatchEmbedding(NDArray weight, NDArray bias) {
        long[] s = weight.getShape().getShape();
        this.patch = (int) s[2];
        this.weightT = weight.reshape(s[0], s[1] * s[2] * s[3]).transpose();
        this.bias = bias;
    }

    /** pixels (N, C, H, W) -> (N, gh*gw, D), patches in row-major order as conv + flatten(2) gives them. */
    public NDArray forward(NDArray pixels) {
        long[] s = pixels.getShape().getShape();
        long n = s[0];
        long c = s[1];
        long gh = s[2] / patch;
        long gw = s[3] / patch;
        NDArray patches = pixels.reshape(n, c, gh, patch, gw, patch)   // (N, C, gh, P, gw, P)
                .transpose(0, 2, 4, 1, 3, 5)                           // (N, gh, gw, C, P, P)
                .reshape(n, gh * gw, c * patch * patch);               // (N, S, C*P*P)
        NDArray out = patches.matMul(weightT);                         // (N, S, D)
        return bias == null ? out : out.add(bias);
    }
}
