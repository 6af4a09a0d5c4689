package taskvec.model.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * The settings of a Hugging Face {@code preprocessor_config.json} for CLIPImageProcessor or
 * SiglipImageProcessor, with Hugging Face's defaults for fields the file leaves out.
 *
 * @param source         the file this was read from (for error messages)
 * @param type           which processor's semantics apply
 * @param doResize       whether to resize
 * @param size           the resize target
 * @param resample       the Pillow filter ({@code resample})
 * @param doCenterCrop   whether to center-crop (always false for SigLIP, which has no crop step)
 * @param cropHeight     crop height in pixels
 * @param cropWidth      crop width in pixels
 * @param doRescale      whether to multiply by {@code rescaleFactor}
 * @param rescaleFactor  usually 1/255
 * @param doNormalize    whether to subtract the mean and divide by the std
 * @param imageMean      per-channel mean, 3 values
 * @param imageStd       per-channel std, 3 values
 * @param doConvertRgb   {@code do_convert_rgb} as written; images are always decoded to RGB
 */
public record ImageProcessorConfig(
        Path source,
        ProcessorType type,
        boolean doResize,
        ResizeTarget size,
        ResampleFilter resample,
        boolean doCenterCrop,
        int cropHeight,
        int cropWidth,
        boolean doRescale,
        double rescaleFactor,
        boolean doNormalize,
        double[] imageMean,
        double[] imageStd,
        boolean doConvertRgb) {

    public ImageProcessorConfig {
        imageMean = imageMean.clone();
        imageStd = imageStd.clone();
    }

    /** A copy: the record stays immutable. */
    @Override
    public double[] imageMean() {
        return imageMean.clone();
    }

    /** A copy: the record stays immutable. */
    @Override
    public double[] imageStd() {
        return imageStd.clone();
    }

    /** The processors whose preprocessing this package reproduces. */
    public enum ProcessorType {
        CLIP, SIGLIP
    }

    /** How the resize step chooses its output size. */
    public sealed interface ResizeTarget permits ShortestEdge, FixedSize {
    }

    /** Scale so that the shorter side becomes {@code edge}, keeping the aspect ratio (CLIP). */
    public record ShortestEdge(int edge) implements ResizeTarget {
    }

    /** Resize to exactly height x width, ignoring the aspect ratio (SigLIP, or CLIP with height/width). */
    public record FixedSize(int height, int width) implements ResizeTarget {
    }

    private static final double[] OPENAI_CLIP_MEAN = {0.48145466, 0.4578275, 0.40821073};
    private static final double[] OPENAI_CLIP_STD = {0.26862954, 0.26130258, 0.27577711};
    private static final double[] IMAGENET_STANDARD_MEAN = {0.5, 0.5, 0.5};
    private static final double[] IMAGENET_STANDARD_STD = {0.5, 0.5, 0.5};
    private static final int DEFAULT_SIZE = 224;

    /** Rescale and normalize as this config says. */
    public Normalization normalization() {
        return new Normalization(doRescale, rescaleFactor, doNormalize, imageMean, imageStd);
    }

    /** Reads a preprocessor_config.json; any problem is an {@link ImageConfigLoadException} naming file and field. */
    public static ImageProcessorConfig load(Path file) {
        return new Parser(ConfigFields.read(file)).parse();
    }

    /** Reads one file's fields, naming the file and the field in every error. */
    private static final class Parser {
        private final ConfigFields fields;

        Parser(ConfigFields fields) {
            this.fields = fields;
        }

        ImageProcessorConfig parse() {
            ProcessorType type = processorType();
            boolean siglip = type == ProcessorType.SIGLIP;

            boolean doResize = fields.bool("do_resize", true);
            ResizeTarget size = resizeTarget(siglip);
            ResampleFilter resample = fields.resample(3);

            // SiglipImageProcessor has no crop step: its crop fields, if any, are ignored as HF ignores them.
            boolean doCenterCrop = !siglip && fields.bool("do_center_crop", true);
            int[] crop = siglip ? new int[] {0, 0} : cropSize();

            Normalization n = fields.normalization(siglip ? IMAGENET_STANDARD_MEAN : OPENAI_CLIP_MEAN,
                    siglip ? IMAGENET_STANDARD_STD : OPENAI_CLIP_STD);
            boolean doConvertRgb = fields.bool("do_convert_rgb", true);
            return new ImageProcessorConfig(fields.file(), type, doResize, size, resample, doCenterCrop, crop[0], crop[1],
                    n.doRescale(), n.rescaleFactor(), n.doNormalize(), n.mean(), n.std(), doConvertRgb);
        }

        private ProcessorType processorType() {
            String name = fields.processorType();
            return switch (name) {
                case "CLIPImageProcessor", "CLIPFeatureExtractor" -> ProcessorType.CLIP;
                case "SiglipImageProcessor" -> ProcessorType.SIGLIP;
                default -> throw fields.error("image_processor_type", "unsupported processor type '" + name
                        + "'; supported: CLIPImageProcessor, SiglipImageProcessor");
            };
        }

        private ResizeTarget resizeTarget(boolean siglip) {
            JsonNode node = fields.node("size");
            if (node == null) {
                return siglip ? new FixedSize(DEFAULT_SIZE, DEFAULT_SIZE) : new ShortestEdge(DEFAULT_SIZE);
            }
            if (node.isIntegralNumber()) {
                // Older configs give a bare int: CLIP reads it as the shortest edge, SigLIP as a square.
                int v = fields.positive("size", node);
                return siglip ? new FixedSize(v, v) : new ShortestEdge(v);
            }
            if (!node.isObject()) {
                throw fields.error("size", "expected an object such as {\"shortest_edge\": 336} or {\"height\": 384, \"width\": 384}, got " + node);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                String key = it.next().getKey();
                if (!key.equals("shortest_edge") && !key.equals("height") && !key.equals("width")) {
                    throw fields.error("size", "unsupported key '" + key + "'; expected shortest_edge, or height and width");
                }
            }
            if (node.has("height") || node.has("width")) {
                if (!node.has("height") || !node.has("width") || node.has("shortest_edge")) {
                    throw fields.error("size", "give both height and width, or only shortest_edge, got " + node);
                }
                return new FixedSize(fields.positive("size.height", node.get("height")),
                        fields.positive("size.width", node.get("width")));
            }
            if (siglip) {
                throw fields.error("size", "SiglipImageProcessor needs height and width, got " + node);
            }
            if (!node.has("shortest_edge")) {
                throw fields.error("size", "empty; expected shortest_edge, or height and width");
            }
            return new ShortestEdge(fields.positive("size.shortest_edge", node.get("shortest_edge")));
        }

        private int[] cropSize() {
            JsonNode node = fields.node("crop_size");
            if (node == null) {
                return new int[] {DEFAULT_SIZE, DEFAULT_SIZE};
            }
            if (node.isIntegralNumber()) {
                int v = fields.positive("crop_size", node);
                return new int[] {v, v};
            }
            if (!node.isObject() || !node.has("height") || !node.has("width")) {
                throw fields.error("crop_size", "expected {\"height\": H, \"width\": W} or an integer, got " + node);
            }
            return new int[] {fields.positive("crop_size.height", node.get("height")),
                    fields.positive("crop_size.width", node.get("width"))};
        }
    }
}
