package taskvec.model.image;

/**
 * Resizes 8-bit RGB images exactly as Pillow's {@code Image.resize} does for its convolution
 * filters (Resample.c): two separable passes, horizontal first, each rounding to 8 bits.
 *
 * <p>For every output pixel the kernel is centered at {@code (i + 0.5) * scale} in source
 * coordinates; when shrinking, the kernel is stretched by the scale (so it averages over every
 * source pixel it covers). Taps outside the image are dropped and the remaining weights
 * normalized to sum 1. The weights are then turned into 22-bit fixed point, and each pass sums
 * integers and rounds, so the results are bit-exact with Pillow, not just close.
 */
public final class PillowResampler {

    /** Fixed-point fraction bits: 32 bits minus 8 for the value minus 2 for sums outside [0, 1]. */
    private static final int PRECISION_BITS = 32 - 8 - 2;

    private PillowResampler() {
    }

    /** The image resized to outWidth x outHeight with the given filter. */
    public static RgbImage resize(RgbImage in, int outWidth, int outHeight, ResampleFilter filter) {
        if (outWidth <= 0 || outHeight <= 0) {
            throw new IllegalArgumentException("resize target must be positive, got " + outWidth + "x" + outHeight);
        }
        if (outWidth == in.width() && outHeight == in.height()) {
            return in; // Pillow returns a copy without resampling
        }
        Kernel horizontal = Kernel.of(in.width(), outWidth, filter);
        Kernel vertical = Kernel.of(in.height(), outHeight, filter);

        RgbImage current = in;
        if (outWidth != in.width()) {
            // Only the source rows the vertical pass will read are resampled horizontally.
            int firstRow = vertical.start[0];
            int lastRow = vertical.start[outHeight - 1] + vertical.count[outHeight - 1];
            current = horizontalPass(in, horizontal, firstRow, lastRow);
            if (outHeight != in.height()) {
                vertical = vertical.shiftedBy(-firstRow);
            } else {
                return current;
            }
        }
        if (outHeight != in.height()) {
            current = verticalPass(current, vertical);
        }
        return current;
    }

    private static RgbImage horizontalPass(RgbImage in, Kernel k, int firstRow, int lastRow) {
        int outW = k.outSize;
        int rows = lastRow - firstRow;
        byte[] src = in.rgb();
        byte[] out = new byte[outW * rows * 3]; // (rows, outW, 3)
        int inW = in.width();
        for (int y = 0; y < rows; y++) {
            int rowBase = (y + firstRow) * inW * 3;
            for (int x = 0; x < outW; x++) {
                int start = k.start[x];
                int n = k.count[x];
                int kBase = x * k.size;
                int r = 1 << (PRECISION_BITS - 1);
                int g = r;
                int b = r;
                for (int t = 0; t < n; t++) {
                    int w = k.weights[kBase + t];
                    int p = rowBase + (start + t) * 3;
                    r += (src[p] & 0xFF) * w;
                    g += (src[p + 1] & 0xFF) * w;
                    b += (src[p + 2] & 0xFF) * w;
                }
                int o = (y * outW + x) * 3;
                out[o] = clip8(r);
                out[o + 1] = clip8(g);
                out[o + 2] = clip8(b);
            }
        }
        return new RgbImage(outW, rows, out);
    }

    private static RgbImage verticalPass(RgbImage in, Kernel k) {
        int outH = k.outSize;
        int w = in.width();
        byte[] src = in.rgb();
        byte[] out = new byte[w * outH * 3]; // (outH, W, 3)
        for (int y = 0; y < outH; y++) {
            int start = k.start[y];
            int n = k.count[y];
            int kBase = y * k.size;
            for (int x = 0; x < w; x++) {
                int r = 1 << (PRECISION_BITS - 1);
                int g = r;
                int b = r;
                for (int t = 0; t < n; t++) {
                    int wt = k.weights[kBase + t];
                    int p = ((start + t) * w + x) * 3;
                    r += (src[p] & 0xFF) * wt;
                    g += (src[p + 1] & 0xFF) * wt;
                    b += (src[p + 2] & 0xFF) * wt;
                }
                int o = (y * w + x) * 3;
                out[o] = clip8(r);
                out[o + 1] = clip8(g);
                out[o + 2] = clip8(b);
            }
        }
        return new RgbImage(w, outH, out);
    }

    /** Drops the fraction bits (flooring, as an arithmetic shift does) and clamps to 0..255. */
    private static byte clip8(int fixedPoint) {
        int v = fixedPoint >> PRECISION_BITS;
        if (v < 0) {
            return 0;
        }
        if (v > 255) {
            return (byte) 255;
        }
        return (byte) v;
    }

    /**
     * Per output index: the first source index, how many taps, and the fixed-point weights
     * (row-major, {@code size} slots per output index).
     */
    static final class Kernel {
        final int outSize;
        final int size;
        final int[] start;
        final int[] count;
        final int[] weights;

        private Kernel(int outSize, int size, int[] start, int[] count, int[] weights) {
            this.outSize = outSize;
            this.size = size;
            this.start = start;
            this.count = count;
            this.weights = weights;
        }

        static Kernel of(int inSize, int outSize, ResampleFilter filter) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0); // stretch the kernel only when shrinking
            double support = filter.support() * filterScale;
            int size = (int) Math.ceil(support) * 2 + 1;
            int[] start = new int[outSize];
            int[] count = new int[outSize];
            int[] fixed = new int[outSize * size];
            double[] w = new double[size];
            double invScale = 1.0 / filterScale;
            for (int i = 0; i < outSize; i++) {
                double center = (i + 0.5) * scale;
                // Casts truncate toward zero, as Pillow's do; the clamps then keep indices in range.
                int lo = Math.max((int) (center - support + 0.5), 0);
                int hi = Math.min((int) (center + support + 0.5), inSize);
                int n = hi - lo;
                double sum = 0.0;
                for (int t = 0; t < n; t++) {
                    w[t] = filter.weight((t + lo - center + 0.5) * invScale);
                    sum += w[t];
                }
                for (int t = 0; t < n; t++) {
                    double normalized = sum != 0.0 ? w[t] / sum : w[t];
                    // Round half away from zero into fixed point.
                    fixed[i * size + t] = normalized < 0
                            ? (int) (-0.5 + normalized * (1 << PRECISION_BITS))
                            : (int) (0.5 + normalized * (1 << PRECISION_BITS));
                }
                start[i] = lo;
                count[i] = n;
            }
            return new Kernel(outSize, size, start, count, fixed);
        }

        Kernel shiftedBy(int delta) {
            int[] shifted = start.clone();
            for (int i = 0; i < shifted.length; i++) {
                shifted[i] += delta;
            }
            return new Kernel(outSize, size, shifted, count, weights);
        }
    }
}
