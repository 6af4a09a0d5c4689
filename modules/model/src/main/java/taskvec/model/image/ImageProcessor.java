package taskvec.model.image;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Turns an image into the pixel values a CLIP or SigLIP vision tower expects, reproducing Hugging
 * Face's CLIPImageProcessor / SiglipImageProcessor (the Pillow-based ones):
 * convert to RGB, optional pre-resize to a fixed width (as the reference study code does before
 * calling the processor), resize, center crop, rescale, normalize.
 */
public final class ImageProcessor implements ImagePreprocessor {

    private final ImageProcessorConfig config;

    public ImageProcessor(ImageProcessorConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** A processor configured by a Hugging Face {@code preprocessor_config.json}. */
    public static ImageProcessor fromConfig(Path preprocessorConfigJson) {
        return new ImageProcessor(ImageProcessorConfig.load(preprocessorConfigJson));
    }

    public ImageProcessorConfig config() {
        return config;
    }

    public PixelValues process(Path imageFile) {
        return process(imageFile, OptionalInt.empty());
    }

    /** Decodes the file and preprocesses it; an undecodable file is an {@link ImageInputException}. */
    public PixelValues process(Path imageFile, OptionalInt preResizeWidth) {
        return normalize(resized(ImageDecoder.decode(imageFile), preResizeWidth));
    }

    @Override
    public List<PixelValues> preprocess(Path file, OptionalInt preResizeWidth) {
        return List.of(process(file, preResizeWidth));
    }

    @Override
    public List<PixelValues> preprocess(BufferedImage image, OptionalInt preResizeWidth) {
        return List.of(process(image, preResizeWidth));
    }

    public PixelValues process(BufferedImage image) {
        return process(image, OptionalInt.empty());
    }

    public PixelValues process(BufferedImage image, OptionalInt preResizeWidth) {
        return normalize(resized(ImageDecoder.toRgb(image), preResizeWidth));
    }

    /**
     * The 8-bit image after the optional pre-resize, the resize and the center crop, channel-first
     * (3, H, W) with values 0..255: what the processor rescales and normalizes next.
     */
    public int[] resizedUint8(Path imageFile, OptionalInt preResizeWidth) {
        return resized(ImageDecoder.decode(imageFile), preResizeWidth).toChw();
    }

    /** The geometric steps: optional pre-resize to a width, resize, center crop. */
    public RgbImage resized(RgbImage image, OptionalInt preResizeWidth) {
        RgbImage current = image;
        if (preResizeWidth.isPresent()) {
            current = preResize(current, preResizeWidth.getAsInt());
        }
        if (config.doResize()) {
            int[] hw = resizeOutputSize(current.height(), current.width());
            current = PillowResampler.resize(current, hw[1], hw[0], config.resample());
        }
        if (config.doCenterCrop()) {
            current = current.centerCrop(config.cropWidth(), config.cropHeight());
        }
        return current;
    }

    /** Rescale and normalize (see {@link Normalization#apply}). */
    public PixelValues normalize(RgbImage image) {
        return config.normalization().apply(image);
    }

    /**
     * The resize output as {height, width}. For a shortest edge s, the short side becomes s and the
     * long side {@code int(s * long / short)} (truncated), as Hugging Face's
     * get_resize_output_image_size computes it.
     */
    int[] resizeOutputSize(int height, int width) {
        if (config.size() instanceof ImageProcessorConfig.FixedSize fixed) {
            return new int[] {fixed.height(), fixed.width()};
        }
        int edge = ((ImageProcessorConfig.ShortestEdge) config.size()).edge();
        boolean portrait = width <= height;
        int shortSide = portrait ? width : height;
        int longSide = portrait ? height : width;
        int newLong = (int) ((double) edge * longSide / shortSide);
        return portrait ? new int[] {newLong, edge} : new int[] {edge, newLong};
    }

    /** Resize to the given width keeping the aspect ratio: height = int(width / w * h), bicubic. */
    static RgbImage preResize(RgbImage image, int width) {
        if (width <= 0) {
            throw new IllegalArgumentException("pre-resize width must be positive, got " + width);
        }
        int height = (int) ((double) width / image.width() * image.height());
        if (height <= 0) {
            throw new ImageInputException("image of " + image.width() + "x" + image.height()
                    + " is too wide to pre-resize to width " + width + " (height would be 0)");
        }
        return PillowResampler.resize(image, width, height, ResampleFilter.BICUBIC);
    }
}
