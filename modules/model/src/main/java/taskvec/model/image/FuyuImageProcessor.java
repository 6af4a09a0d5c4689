package taskvec.model.image;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Hugging Face's FuyuImageProcessor (the Pillow one) with the crop FuyuProcessor makes before cutting patches:
 * resize only an image larger than the target (scale = min(target_h / h, target_w / w), each side int(side *
 * scale), the config's filter), pad bottom-right with the pad value on the 0..255 scale (before rescaling),
 * rescale, normalize, and keep the top-left ceil(h / p) * p x ceil(w / p) * p pixels: the patch grid. The padded
 * pixels beyond that grid never reach the model, so they are not made.
 *
 * <p>HF keeps an image's own channels (a gray file gives one, RGBA four), and its model then fails unless there
 * are three. The model path here converts to RGB first (gray copied, alpha over white, as the other processors
 * do); {@link #resizedKeepingChannels} reproduces HF's channels for the preprocessing fixture.
 */
public final class FuyuImageProcessor implements ImagePreprocessor {

    private final FuyuProcessorConfig config;

    public FuyuImageProcessor(FuyuProcessorConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public FuyuProcessorConfig config() {
        return config;
    }

    /** An image's patch grid; its prompt slots are rows x (cols + 1): one per patch and a row break per row. */
    public record PatchGrid(int rows, int cols) {

        public int patches() {
            return rows * cols;
        }

        public int promptTokens() {
            return rows * (cols + 1);
        }
    }

    /**
     * {height, width} after the resize step: unchanged when the image fits in the target, else scaled down to fit,
     * keeping the aspect ratio, each side truncated as HF's int() does.
     */
    public int[] resizedSize(int height, int width) {
        if (!config.doResize() || (height <= config.targetHeight() && width <= config.targetWidth())) {
            return new int[] {height, width};
        }
        double scale = Math.min((double) config.targetHeight() / height, (double) config.targetWidth() / width);
        return new int[] {(int) (height * scale), (int) (width * scale)};
    }

    /**
     * The patch grid of an image of this size (as the processor receives it, after any pre-resize). An image
     * smaller than one patch after the resize step is an {@link ImageInputException}: HF would make a patch of
     * almost nothing but padding.
     */
    public PatchGrid grid(int height, int width) {
        int[] hw = resizedSize(height, width);
        if (hw[0] < config.patchHeight() || hw[1] < config.patchWidth()) {
            throw new ImageInputException("an image of " + width + "x" + height + " (width x height"
                    + (hw[0] != height ? ", resized to " + hw[1] + "x" + hw[0] : "") + ") is smaller than one "
                    + config.patchWidth() + "x" + config.patchHeight() + " patch");
        }
        return new PatchGrid(ceilDiv(hw[0], config.patchHeight()), ceilDiv(hw[1], config.patchWidth()));
    }

    /** Decodes the file as RGB and preprocesses it: (3, rows * p, cols * p). Errors name the file. */
    @Override
    public List<PixelValues> preprocess(Path file, OptionalInt preResizeWidth) {
        RgbImage image = ImageDecoder.decode(file);
        try {
            return List.of(patchGridPixels(ChannelImage.of(resized(image, preResizeWidth))));
        } catch (ImageInputException e) {
            throw new ImageInputException(file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<PixelValues> preprocess(BufferedImage image, OptionalInt preResizeWidth) {
        return List.of(patchGridPixels(ChannelImage.of(resized(ImageDecoder.toRgb(image), preResizeWidth))));
    }

    /** The optional pre-resize to a width (bicubic, as the reference study code), then the resize step. */
    public RgbImage resized(RgbImage image, OptionalInt preResizeWidth) {
        RgbImage current = preResizeWidth.isPresent()
                ? ImageProcessor.preResize(image, preResizeWidth.getAsInt()) : image;
        int[] hw = resizedSize(current.height(), current.width());
        return PillowResampler.resize(current, hw[1], hw[0], config.resample());
    }

    /**
     * HF's resize step on an image with its own channels (the preprocessing fixture's view). Pillow resizes images
     * with alpha premultiplied, which is not reproduced here: such an image that needs resizing is refused.
     */
    public ChannelImage resizedKeepingChannels(ChannelImage image) {
        int[] hw = resizedSize(image.height(), image.width());
        if (hw[0] == image.height() && hw[1] == image.width()) {
            return image;
        }
        if (image.hasAlpha()) {
            throw new ImageInputException("resizing an image with alpha keeping its channels is not supported");
        }
        if (image.channels() == 3) {
            return ChannelImage.of(PillowResampler.resize(new RgbImage(image.width(), image.height(), image.samples()),
                    hw[1], hw[0], config.resample()));
        }
        // one channel: Pillow resamples each band alike, so the gray image resized as RGB gives it in every channel
        byte[] gray = image.samples();
        byte[] rgb = new byte[gray.length * 3];
        for (int i = 0; i < gray.length; i++) {
            rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = gray[i];
        }
        RgbImage out = PillowResampler.resize(new RgbImage(image.width(), image.height(), rgb), hw[1], hw[0],
                config.resample());
        byte[] back = new byte[out.width() * out.height()];
        for (int i = 0; i < back.length; i++) {
            back[i] = out.rgb()[3 * i];
        }
        return new ChannelImage(out.width(), out.height(), 1, back);
    }

    /**
     * Pads (bottom-right, with the pad value before rescaling), rescales and normalizes, keeping the patch grid:
     * (C, rows * p, cols * p), channel-first.
     */
    public PixelValues patchGridPixels(ChannelImage image) {
        int[] hw = resizedSize(image.height(), image.width());
        if (hw[0] != image.height() || hw[1] != image.width()) {
            throw new IllegalArgumentException("an image of " + image.width() + "x" + image.height()
                    + " must pass the resize step first");
        }
        PatchGrid g = grid(image.height(), image.width());
        int c = image.channels();
        int h = g.rows() * config.patchHeight();
        int w = g.cols() * config.patchWidth();
        float[] mean = config.perChannel(config.normalization().mean(), c, "image_mean");
        float[] std = config.perChannel(config.normalization().std(), c, "image_std");
        float[] data = new float[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            float pad = normalize(config.paddingValue(), mean[ch], std[ch]);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    data[(ch * h + y) * w + x] = y < image.height() && x < image.width()
                            ? normalize(image.sample(x, y, ch), mean[ch], std[ch]) : pad;
                }
            }
        }
        return new PixelValues(data, c, h, w);
    }

    /** Rescale in double stored as float, then (x - mean) / std in float, as HF does. */
    private float normalize(double value, float mean, float std) {
        Normalization n = config.normalization();
        float x = n.doRescale() ? (float) (value * n.rescaleFactor()) : (float) value;
        return n.doNormalize() ? (x - mean) / std : x;
    }

    /**
     * The patches of preprocessed pixels (C, rows * p, cols * p), row-major over the grid, each flattened
     * channel-last (py, px, c) as HF's patchify_image does: (rows * cols, p * p * C).
     */
    public static float[] patches(PixelValues pixels, int patchHeight, int patchWidth) {
        int c = pixels.channels();
        int rows = pixels.height() / patchHeight;
        int cols = pixels.width() / patchWidth;
        if (rows * patchHeight != pixels.height() || cols * patchWidth != pixels.width()) {
            throw new IllegalArgumentException("pixels of " + pixels.width() + "x" + pixels.height()
                    + " are not a whole grid of " + patchWidth + "x" + patchHeight + " patches");
        }
        int width = patchHeight * patchWidth * c;
        float[] out = new float[rows * cols * width];
        float[] data = pixels.data();
        int plane = pixels.height() * pixels.width();
        for (int r = 0; r < rows; r++) {
            for (int q = 0; q < cols; q++) {
                int base = (r * cols + q) * width;
                for (int py = 0; py < patchHeight; py++) {
                    for (int px = 0; px < patchWidth; px++) {
                        int src = (r * patchHeight + py) * pixels.width() + q * patchWidth + px;
                        int dst = base + (py * patchWidth + px) * c;
                        for (int ch = 0; ch < c; ch++) {
                            out[dst + ch] = data[ch * plane + src];
                        }
                    }
                }
            }
        }
        return out;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
