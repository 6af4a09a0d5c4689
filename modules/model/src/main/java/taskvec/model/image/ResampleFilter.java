package taskvec.model.image;

import java.util.Optional;

/**
 * The convolution filters of Pillow's resize, by the integer codes that Hugging Face's
 * {@code resample} field uses (PIL.Image.Resampling). Each has a support radius in source pixels
 * at scale 1; the kernel values are what Pillow evaluates, so that weights match bit for bit.
 * NEAREST (code 0) is not a convolution in Pillow (it goes through an affine transform), so it is
 * not offered here.
 */
public enum ResampleFilter {
    LANCZOS(1, 3.0),
    BILINEAR(2, 1.0),
    BICUBIC(3, 2.0),
    BOX(4, 0.5),
    HAMMING(5, 1.0);

    /** Pillow's bicubic uses the Keys kernel with a = -0.5. */
    private static final double CUBIC_A = -0.5;

    private final int pilCode;
    private final double support;

    ResampleFilter(int pilCode, double support) {
        this.pilCode = pilCode;
        this.support = support;
    }

    public int pilCode() {
        return pilCode;
    }

    /** Half-width of the kernel at scale 1, in source pixels. */
    public double support() {
        return support;
    }

    public static Optional<ResampleFilter> fromPilCode(int code) {
        for (ResampleFilter f : values()) {
            if (f.pilCode == code) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The kernel value at distance x (in filter units). */
    public double weight(double x) {
        switch (this) {
            case BOX:
                return (x > -0.5 && x <= 0.5) ? 1.0 : 0.0;
            case BILINEAR: {
                double ax = Math.abs(x);
                return ax < 1.0 ? 1.0 - ax : 0.0;
            }
            case HAMMING: {
                double ax = Math.abs(x);
                if (ax == 0.0) {
                    return 1.0;
                }
                if (ax >= 1.0) {
                    return 0.0;
                }
                double px = ax * Math.PI;
                // Pillow writes these two constants as C floats; keep their float rounding.
                return Math.sin(px) / px * (0.54f + 0.46f * Math.cos(px));
            }
            case BICUBIC: {
                double ax = Math.abs(x);
                if (ax < 1.0) {
                    return ((CUBIC_A + 2.0) * ax - (CUBIC_A + 3.0)) * ax * ax + 1;
                }
                if (ax < 2.0) {
                    return (((ax - 5) * ax + 8) * ax - 4) * CUBIC_A;
                }
                return 0.0;
            }
            case LANCZOS:
                return (x >= -3.0 && x < 3.0) ? sinc(x) * sinc(x / 3) : 0.0;
            default:
                throw new IllegalStateException("no kernel for " + this);
        }
    }

    private static double sinc(double x) {
        if (x == 0.0) {
            return 1.0;
        }
        double px = x * Math.PI;
        return Math.sin(px) / px;
    }
}
