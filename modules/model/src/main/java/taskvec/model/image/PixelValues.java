package taskvec.model.image;

import java.util.Objects;

/**
 * One preprocessed image as the vision tower takes it: float values in channel-first order,
 * {@code data[(c * height + y) * width + x]}, shape (channels, height, width).
 */
public record PixelValues(float[] data, int channels, int height, int width) {

    public PixelValues {
        Objects.requireNonNull(data, "data");
        if ((long) channels * height * width != data.length) {
            throw new IllegalArgumentException("data holds " + data.length + " values, shape (" + channels + ", "
                    + height + ", " + width + ") needs " + ((long) channels * height * width));
        }
    }

    /** The value at channel c, row y, column x. */
    public float get(int c, int y, int x) {
        return data[(c * height + y) * width + x];
    }

    /** The shape as {channels, height, width}. */
    public long[] shape() {
        return new long[] {channels, height, width};
    }
}
