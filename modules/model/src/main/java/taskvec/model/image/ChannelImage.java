package taskvec.model.image;

import java.util.Objects;

/**
 * An 8-bit image with the channels its file has (1 gray, 2 gray + alpha, 3 RGB, 4 RGBA), interleaved row-major:
 * {@code samples[(y * width + x) * channels + c]}. What Pillow holds for modes L, LA, RGB and RGBA before any
 * conversion; processors that keep an image's channels (Fuyu's) start here.
 */
public record ChannelImage(int width, int height, int channels, byte[] samples) {

    public ChannelImage {
        Objects.requireNonNull(samples, "samples");
        if (width <= 0 || height <= 0 || channels < 1 || channels > 4) {
            throw new IllegalArgumentException("image of " + width + "x" + height + " with " + channels + " channels");
        }
        if (samples.length != (long) width * height * channels) {
            throw new IllegalArgumentException("samples holds " + samples.length + " bytes, expected "
                    + ((long) width * height * channels));
        }
    }

    /** An RGB image as a three-channel one (same bytes). */
    public static ChannelImage of(RgbImage rgb) {
        return new ChannelImage(rgb.width(), rgb.height(), 3, rgb.rgb());
    }

    /** Whether the last channel is alpha (LA, RGBA). */
    public boolean hasAlpha() {
        return channels == 2 || channels == 4;
    }

    /** Channel c of pixel (x, y), 0..255. */
    public int sample(int x, int y, int c) {
        return samples[(y * width + x) * channels + c] & 0xFF;
    }

    /** The image as unsigned 8-bit values in channel-first order, shape (channels, height, width). */
    public int[] toChw() {
        return toChw(1);
    }

    /**
     * Every stride-th row and column from the first, channel-first: numpy's {@code chw[:, ::s, ::s]}, shape
     * (channels, ceil(height / s), ceil(width / s)).
     */
    public int[] toChw(int stride) {
        int h = (height + stride - 1) / stride;
        int w = (width + stride - 1) / stride;
        int[] out = new int[channels * h * w];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[(c * h + y) * w + x] = sample(x * stride, y * stride, c);
                }
            }
        }
        return out;
    }
}
