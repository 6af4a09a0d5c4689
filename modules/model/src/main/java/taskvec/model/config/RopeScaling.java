package taskvec.model.config;

/**
 * A config's rope_scaling: "default" (none), "linear" (positions divided by the factor), or "llama3" (low
 * frequencies divided by the factor, high ones kept, a smooth blend between), as Hugging Face's ROPE_INIT_FUNCTIONS.
 */
public record RopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor,
                          int originalMaxPositions) {

    public static final RopeScaling NONE = new RopeScaling("default", 1.0, 1.0, 4.0, 8192);

    /** The inverse frequencies of each rotated pair for a head dimension and rope_theta. */
    public double[] inverseFrequencies(int headDim, double theta) {
        double[] inv = new double[headDim / 2];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
        }
        switch (type) {
            case "default":
                return inv;
            case "linear":
                for (int i = 0; i < inv.length; i++) {
                    inv[i] /= factor;
                }
                return inv;
            case "llama3": {
                double lowFreqWavelen = originalMaxPositions / lowFreqFactor;
                double highFreqWavelen = originalMaxPositions / highFreqFactor;
                for (int i = 0; i < inv.length; i++) {
                    double wavelen = 2 * Math.PI / inv[i];
                    if (wavelen > lowFreqWavelen) {
                        inv[i] /= factor;
                    } else if (wavelen >= highFreqWavelen) {
                        double smooth = (originalMaxPositions / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                        inv[i] = (1 - smooth) * inv[i] / factor + smooth * inv[i];
                    }
                }
                return inv;
            }
            default:
                throw new IllegalStateException("rope type " + type);
        }
    }
}
