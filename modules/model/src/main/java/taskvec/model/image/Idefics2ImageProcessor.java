package taskvec.model.image;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Turns an image into the crops an Idefics2 vision tower takes, reproducing Hugging Face's
 * Idefics2ImageProcessor (the Pillow one): convert to RGB (alpha on white), optional pre-resize to a
 * width (as the reference study code does first), with splitting the four quarters then the whole
 * image, and per crop: resize (see {@link #resizeOutputSize}), Pillow's filter on 8 bits, rescale,
 * normalize.
 *
 * <p>Crops keep their own sizes. Hugging Face pads a batch to its largest crop and marks the real
 * pixels in {@code pixel_attention_mask}; the model then only uses whole patches of real pixels,
 * which is what running each crop unpadded on its whole patches computes. {@link #pad} builds the
 * padded batch only to check that equivalence against the reference.
 */
public final class Idefics2ImageProcessor implements ImagePreprocessor {

    private final Idefics2ProcessorConfig config;
    private final int patchSize; // 0: no minimum; else every crop must hold one whole patch

    private Idefics2ImageProcessor(Idefics2ProcessorConfig config, int patchSize) {
        this.config = Objects.requireNonNull(config, "config");
        this.patchSize = patchSize;
    }

    /** The processor of a preprocessor_config.json, with no model attached. */
    public static Idefics2ImageProcessor fromConfig(Path preprocessorConfigJson) {
        return new Idefics2ImageProcessor(Idefics2ProcessorConfig.load(preprocessorConfigJson), 0);
    }

    public static Idefics2ImageProcessor of(Idefics2ProcessorConfig config) {
        return new Idefics2ImageProcessor(config, 0);
    }

    /** The processor for a model whose vision tower cuts patchSize x patchSize patches. */
    public static Idefics2ImageProcessor forModel(Idefics2ProcessorConfig config, int patchSize) {
        if (patchSize <= 0) {
            throw new IllegalArgumentException("patch size must be positive, got " + patchSize);
        }
        return new Idefics2ImageProcessor(config, patchSize);
    }

    public Idefics2ProcessorConfig config() {
        return config;
    }

    /** Decodes the file and preprocesses it; errors are {@link ImageInputException}s naming the file. */
    @Override
    public List<PixelValues> preprocess(Path imageFile, OptionalInt preResizeWidth) {
        RgbImage image = ImageDecoder.decode(imageFile);
        try {
            return normalize(resizedCrops(image, preResizeWidth));
        } catch (ImageInputException e) {
            throw new ImageInputException(imageFile + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<PixelValues> preprocess(BufferedImage image, OptionalInt preResizeWidth) {
        return normalize(resizedCrops(ImageDecoder.toRgb(image), preResizeWidth));
    }

    /**
     * The 8-bit crops after the optional pre-resize, the split and the resize: what the processor
     * rescales and normalizes next, in the order the model sees them.
     */
    public List<RgbImage> resizedCrops(RgbImage image, OptionalInt preResizeWidth) {
        RgbImage current = preResizeWidth.isPresent() ? ImageProcessor.preResize(image, preResizeWidth.getAsInt()) : image;
        List<RgbImage> crops = new ArrayList<>();
        for (RgbImage crop : config.doImageSplitting() ? split(current) : List.of(current)) {
            RgbImage resized = crop;
            if (config.doResize()) {
                int[] hw = resizeOutputSize(crop.height(), crop.width());
                resized = PillowResampler.resize(crop, hw[1], hw[0], config.resample());
            }
            if (patchSize > 0 && (resized.height() < patchSize || resized.width() < patchSize)) {
                throw new ImageInputException("a crop of " + resized.width() + "x" + resized.height()
                        + " pixels after preprocessing holds no whole " + patchSize + "x" + patchSize
                        + " patch of the vision tower (image " + image.width() + "x" + image.height() + ")");
            }
            crops.add(resized);
        }
        return crops;
    }

    /**
     * The resize output as {height, width}: a side longer than longest_edge is scaled to it with the
     * other side {@code int(...)} of the aspect ratio; then each side is raised to shortest_edge on its
     * own (the aspect ratio is not kept there), as Hugging Face's Idefics2 processor computes it.
     */
    int[] resizeOutputSize(int height, int width) {
        int h = height;
        int w = width;
        double aspect = (double) width / height;
        int longest = config.longestEdge();
        if (w >= h && w > longest) {
            w = longest;
            h = (int) (w / aspect);
        } else if (h > w && h > longest) {
            h = longest;
            w = (int) (h * aspect);
        }
        return new int[] {Math.max(h, config.shortestEdge()), Math.max(w, config.shortestEdge())};
    }

    /** The four quarters (split at h // 2, w // 2; top-left, top-right, bottom-left, bottom-right), then the whole image. */
    static List<RgbImage> split(RgbImage image) {
        int midH = image.height() / 2;
        int midW = image.width() / 2;
        if (midH == 0 || midW == 0) {
            throw new ImageInputException("an image of " + image.width() + "x" + image.height()
                    + " pixels is too small to split into quarters");
        }
        return List.of(
                image.region(0, 0, midW, midH),
                image.region(midW, 0, image.width() - midW, midH),
                image.region(0, midH, midW, image.height() - midH),
                image.region(midW, midH, image.width() - midW, image.height() - midH),
                image);
    }

    private List<PixelValues> normalize(List<RgbImage> crops) {
        return crops.stream().map(config.normalization()::apply).toList();
    }

    /**
     * Hugging Face's batch of crops: each padded at the bottom and right with zeros to the largest
     * height and width, and the mask that marks real pixels.
     *
     * @param values (N, 3, H, W)
     * @param mask   (N, H, W), 1 on real pixels
     */
    public record PaddedBatch(float[] values, int[] mask, int count, int height, int width) {
    }

    public static PaddedBatch pad(List<PixelValues> crops) {
        int h = crops.stream().mapToInt(PixelValues::height).max().orElse(0);
        int w = crops.stream().mapToInt(PixelValues::width).max().orElse(0);
        int n = crops.size();
        float[] values = new float[n * 3 * h * w];
        int[] mask = new int[n * h * w];
        for (int i = 0; i < n; i++) {
            PixelValues p = crops.get(i);
            for (int y = 0; y < p.height(); y++) {
                for (int x = 0; x < p.width(); x++) {
                    mask[(i * h + y) * w + x] = 1;
                    for (int c = 0; c < 3; c++) {
                        values[((i * 3 + c) * h + y) * w + x] = p.get(c, y, x);
                    }
                }
            }
        }
        return new PaddedBatch(values, mask, n, h, w);
    }
}
