package taskvec.model.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Decodes image files (any format javax.imageio reads: PNG, JPEG, BMP, GIF) to 8-bit RGB the way
 * Hugging Face's {@code convert_rgb} leaves them: grayscale copied to all three channels, alpha
 * composited over white.
 *
 * <p>Samples are read from the raster, not through {@code BufferedImage.getRGB}: for grayscale
 * images Java treats the gray values as linear light and would gamma-convert them, while Pillow
 * takes them as they are.
 */
public final class ImageDecoder {

    private ImageDecoder() {
    }

    /** Reads and decodes the file; every failure is an {@link ImageInputException} naming the file. */
    public static RgbImage decode(Path file) {
        BufferedImage image = read(file);
        try {
            return toRgb(image);
        } catch (ImageInputException e) {
            throw new ImageInputException(file + ": " + e.getMessage(), e);
        }
    }

    private static BufferedImage read(Path file) {
        if (!Files.exists(file)) {
            throw new ImageInputException(file + ": image file does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new ImageInputException(file + ": not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new ImageInputException(file + ": image file is not readable");
        }
        BufferedImage image;
        try {
            // Read from the file directly: a stream would make ImageIO spool it to a temporary cache file.
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            // ImageIO reports truncated or corrupt data as IIOException, and sometimes as
            // runtime exceptions from inside a codec.
            throw new ImageInputException(file + ": cannot decode image: " + describe(e), e);
        }
        if (image == null) {
            throw new ImageInputException(file + ": not an image in a readable format (PNG, JPEG, BMP, GIF)");
        }
        return image;
    }

    /**
     * {height, width} of an image file from its header alone (no pixels decoded), so prompt layouts that depend
     * on image sizes can be resolved cheaply; failures are {@link ImageInputException}s naming the file.
     */
    public static int[] headerSize(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ImageInputException(file + ": image file does not exist or is not a regular file");
        }
        try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            java.util.Iterator<javax.imageio.ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new ImageInputException(file + ": not an image in a readable format (PNG, JPEG, BMP, GIF)");
            }
            javax.imageio.ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return new int[] {reader.getHeight(0), reader.getWidth(0)};
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ImageInputException iie) {
                throw iie;
            }
            throw new ImageInputException(file + ": cannot read the image header: " + describe(e), e);
        }
    }

    /** Converts a decoded image to 8-bit RGB (gray to RGB, alpha over white). */
    public static RgbImage toRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[w * h * 3];
        if (image.getColorModel() instanceof IndexColorModel) {
            // Palette entries are sRGB values, so getRGB returns them unchanged.
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int argb = image.getRGB(x, y);
                    put(out, (y * w + x) * 3, (argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF,
                            (argb >>> 24) & 0xFF);
                }
            }
            return new RgbImage(w, h, out);
        }
        ChannelImage samples = channels(image);
        byte[] in = samples.samples();
        int bands = samples.channels();
        for (int i = 0; i < w * h; i++) {
            int p = i * bands;
            int v0 = in[p] & 0xFF;
            switch (bands) {
                case 1 -> put(out, i * 3, v0, v0, v0, 255);
                case 2 -> put(out, i * 3, v0, v0, v0, in[p + 1] & 0xFF);
                case 3 -> put(out, i * 3, v0, in[p + 1] & 0xFF, in[p + 2] & 0xFF, 255);
                default -> put(out, i * 3, v0, in[p + 1] & 0xFF, in[p + 2] & 0xFF, in[p + 3] & 0xFF);
            }
        }
        return new RgbImage(w, h, out);
    }

    /**
     * Reads and decodes the file keeping its channels (gray, gray + alpha, RGB, RGBA), as Pillow opens it; failures
     * are {@link ImageInputException}s naming the file. Palette images have no such form here and are refused.
     */
    public static ChannelImage decodeChannels(Path file) {
        BufferedImage image = read(file);
        try {
            if (image.getColorModel() instanceof IndexColorModel) {
                throw new ImageInputException("a palette image has no channels of its own (convert it to RGB)");
            }
            return channels(image);
        } catch (ImageInputException e) {
            throw new ImageInputException(file + ": " + e.getMessage(), e);
        }
    }

    /** The raster's samples at 8 bits, straight (not premultiplied) alpha, one to four bands. */
    private static ChannelImage channels(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        Raster raster = image.getRaster();
        if (image.isAlphaPremultiplied()) {
            // callers expect straight alpha; undo the premultiplication on a copy
            WritableRaster straight = image.copyData(null);
            image.getColorModel().coerceData(straight, false);
            raster = straight;
        }
        int bands = raster.getNumBands();
        if (bands < 1 || bands > 4) {
            throw new ImageInputException("unsupported image with " + bands + " channels");
        }
        if (image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_CMYK) {
            throw new ImageInputException("unsupported color space CMYK");
        }
        int[] bits = new int[bands];
        for (int b = 0; b < bands; b++) {
            bits[b] = raster.getSampleModel().getSampleSize(b);
        }
        byte[] out = new byte[w * h * bands];
        int[] px = new int[bands];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.getPixel(x, y, px);
                for (int b = 0; b < bands; b++) {
                    out[(y * w + x) * bands + b] = (byte) to8Bit(px[b], bits[b]);
                }
            }
        }
        return new ChannelImage(w, h, bands, out);
    }

    /**
     * One sample scaled to 8 bits as Pillow unpacks it: 16-bit samples keep their high byte (as for
     * 16-bit RGB PNGs), 1/2/4-bit samples are stretched to 0..255 (x255, x85, x17).
     */
    private static int to8Bit(int sample, int bits) {
        if (bits >= 8) {
            return sample >> (bits - 8);
        }
        return sample * 255 / ((1 << bits) - 1);
    }

    /** Writes one pixel, compositing it over white with Pillow's alpha_composite arithmetic. */
    private static void put(byte[] out, int o, int r, int g, int b, int alpha) {
        if (alpha == 255) {
            out[o] = (byte) r;
            out[o + 1] = (byte) g;
            out[o + 2] = (byte) b;
            return;
        }
        out[o] = (byte) overWhite(r, alpha);
        out[o + 1] = (byte) overWhite(g, alpha);
        out[o + 2] = (byte) overWhite(b, alpha);
    }

    /**
     * Pillow's alpha_composite with an opaque white background: weights in 7-bit fixed point
     * (alpha * 128 for the source, (255 - alpha) * 128 for white), then a rounded divide by 255.
     */
    static int overWhite(int value, int alpha) {
        int sourceWeight = alpha << 7;
        int whiteWeight = (255 << 7) - sourceWeight;
        int sum = value * sourceWeight + 255 * whiteWeight + (0x80 << 7);
        return (((sum >> 8) + sum) >> 8) >> 7;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
