package taskvec.model.image;

/**
 * The last steps of every Hugging Face image processor here: rescale (usually by 1/255) and
 * normalize per channel, from an 8-bit RGB image to channel-first float pixel values.
 *
 * @param mean per-channel mean, 3 values
 * @param std  per-channel std, 3 values
 */
public record Normalization(boolean doRescale, double rescaleFactor, boolean doNormalize, double[] mean,
                            double[] std) {

    public Normalization {
        mean = mean.clone();
        std = std.clone();
    }

    /** A copy: the record stays immutable. */
    @Override
    public double[] mean() {
        return mean.clone();
    }

    /** A copy: the record stays immutable. */
    @Override
    public double[] std() {
        return std.clone();
    }

    /**
     * Rescale and normalize in float32 as Hugging Face does: the rescale is computed in double and
     * stored as float, then (x - mean) / std with mean and std cast to float.
     */
    public PixelValues apply(RgbImage image) {
        int h = image.height();
        int w = image.width();
        int plane = h * w;
        float[] data = new float[3 * plane]; // (3, H, W)
        byte[] rgb = image.rgb();
        for (int c = 0; c < 3; c++) {
            float m = (float) mean[c];
            float s = (float) std[c];
            for (int i = 0; i < plane; i++) {
                int v = rgb[i * 3 + c] & 0xFF;
                float x = doRescale ? (float) (v * rescaleFactor) : v;
                if (doNormalize) {
                    x = (x - m) / s;
                }
                data[c * plane + i] = x;
            }
        }
        return new PixelValues(data, 3, h, w);
    }
}
