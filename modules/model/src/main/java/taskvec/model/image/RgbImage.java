package taskvec.model.image;

import java.util.Objects;

/**
 * An 8-bit RGB image, pixels stored row-major and interleaved: {@code rgb[(y * width + x) * 3 + c]}
 * holds channel c (0 = R) as an unsigned byte. This is what Pillow's "RGB" mode holds, and what
 * every step between decoding and rescaling works on.
 */
public record RgbImage(int width, int height, byte[] rgb) {

    public RgbImage {
        Objects.requireNonNull(rgb, "rgb");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (rgb.length != (long) width * height * 3) {
            throw new IllegalArgumentException("rgb holds " + rgb.length + " bytes, expected "
                    + ((long) width * height * 3) + " for " + width + "x" + height);
        }
    }

    /** Channel c of pixel (x, y), 0..255. */
    public int sample(int x, int y, int c) {
        return rgb[(y * width + x) * 3 + c] & 0xFF;
    }

    /** The image as unsigned 8-bit values in channel-first order, shape (3, height, width). */
    public int[] toChw() {
        int plane = width * height;
        int[] out = new int[3 * plane];
        for (int i = 0; i < plane; i++) {
            out[i] = rgb[i * 3] & 0xFF;
            out[plane + i] = rgb[i * 3 + 1] & 0xFF;
            out[2 * plane + i] = rgb[i * 3 + 2] & 0xFF;
        }
        return out;
    }

    /**
     * The centered window of the given size, as Hugging Face's center_crop takes it: top-left corner
     * at ((H - h) // 2, (W - w) // 2) with floor division; where the window is larger than the image,
     * the uncovered pixels are 0 (Hugging Face pads with zeros first, which lands on the same pixels).
     */
    public RgbImage centerCrop(int cropWidth, int cropHeight) {
        if (cropWidth <= 0 || cropHeight <= 0) {
            throw new IllegalArgumentException("crop size must be positive, got " + cropWidth + "x" + cropHeight);
        }
        int top = Math.floorDiv(height - cropHeight, 2);
        int left = Math.floorDiv(width - cropWidth, 2);
        byte[] out = new byte[cropWidth * cropHeight * 3];
        int x0 = Math.max(0, -left);
        int x1 = Math.min(cropWidth, width - left);
        for (int y = 0; y < cropHeight; y++) {
            int sy = y + top;
            if (sy < 0 || sy >= height || x1 <= x0) {
                continue;
            }
            System.arraycopy(rgb, (sy * width + left + x0) * 3, out, (y * cropWidth + x0) * 3, (x1 - x0) * 3);
        }
        return new RgbImage(cropWidth, cropHeight, out);
    }

    /** The width x height window whose top-left pixel is (left, top); it must lie inside the image. */
    public RgbImage region(int left, int top, int regionWidth, int regionHeight) {
        if (left < 0 || top < 0 || regionWidth <= 0 || regionHeight <= 0 || left + regionWidth > width
                || top + regionHeight > height) {
            throw new IllegalArgumentException("region " + regionWidth + "x" + regionHeight + " at (" + left + ", " + top
                    + ") is not inside the " + width + "x" + height + " image");
        }
        byte[] out = new byte[regionWidth * regionHeight * 3];
        for (int y = 0; y < regionHeight; y++) {
            System.arraycopy(rgb, ((top + y) * width + left) * 3, out, y * regionWidth * 3, regionWidth * 3);
        }
        return new RgbImage(regionWidth, regionHeight, out);
    }
}
