package taskvec.model.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads a preprocessor_config.json; any problem is an {@link ImageConfigLoadException} naming file and field. */
    public static ImageProcessorConfig load(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new ImageConfigLoadException(file + ": preprocessor config does not exist", e);
        } catch (JsonProcessingException e) {
            throw new ImageConfigLoadException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ImageConfigLoadException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ImageConfigLoadException(file + ": expected a JSON object");
        }
        return new Parser(file, root).parse();
    }

    /** Reads one file's fields, naming the file and the field in every error. */
    private static final class Parser {
        private final Path file;
        private final JsonNode root;

        Parser(Path file, JsonNode root) {
            this.file = file;
            this.root = root;
        }

        ImageProcessorConfig parse() {
            ProcessorType type = processorType();
            boolean siglip = type == ProcessorType.SIGLIP;

            boolean doResize = bool("do_resize", true);
            ResizeTarget size = resizeTarget(siglip);
            int resampleCode = integer("resample", 3);
            ResampleFilter resample = ResampleFilter.fromPilCode(resampleCode).orElseThrow(() -> error("resample",
                    resampleCode == 0
                            ? "0 (NEAREST) is not supported; supported: 1 LANCZOS, 2 BILINEAR, 3 BICUBIC, 4 BOX, 5 HAMMING"
                            : resampleCode + " is not a Pillow filter (1 LANCZOS, 2 BILINEAR, 3 BICUBIC, 4 BOX, 5 HAMMING)"));

            // SiglipImageProcessor has no crop step: its crop fields, if any, are ignored as HF ignores them.
            boolean doCenterCrop = !siglip && bool("do_center_crop", true);
            int[] crop = siglip ? new int[] {0, 0} : cropSize();

            boolean doRescale = bool("do_rescale", true);
            double rescaleFactor = number("rescale_factor", 1.0 / 255.0);
            if (!(rescaleFactor > 0) || Double.isInfinite(rescaleFactor)) {
                throw error("rescale_factor", "must be a positive finite number, got " + rescaleFactor);
            }
            boolean doNormalize = bool("do_normalize", true);
            double[] mean = channels("image_mean", siglip ? IMAGENET_STANDARD_MEAN : OPENAI_CLIP_MEAN);
            double[] std = channels("image_std", siglip ? IMAGENET_STANDARD_STD : OPENAI_CLIP_STD);
            for (double s : std) {
                if (s == 0.0) {
                    throw error("image_std", "contains 0, which would divide by zero");
                }
            }
            boolean doConvertRgb = bool("do_convert_rgb", true);
            return new ImageProcessorConfig(file, type, doResize, size, resample, doCenterCrop, crop[0], crop[1],
                    doRescale, rescaleFactor, doNormalize, mean, std, doConvertRgb);
        }

        private ProcessorType processorType() {
            String field = root.has("image_processor_type") ? "image_processor_type" : "feature_extractor_type";
            JsonNode node = root.get(field);
            if (node == null || node.isNull()) {
                throw error("image_processor_type", "missing; expected CLIPImageProcessor or SiglipImageProcessor");
            }
            if (!node.isTextual()) {
                throw error(field, "expected a string, got " + node);
            }
            return switch (node.asText()) {
                case "CLIPImageProcessor", "CLIPFeatureExtractor" -> ProcessorType.CLIP;
                case "SiglipImageProcessor" -> ProcessorType.SIGLIP;
                default -> throw error(field, "unsupported processor type '" + node.asText()
                        + "'; supported: CLIPImageProcessor, SiglipImageProcessor");
            };
        }

        private ResizeTarget resizeTarget(boolean siglip) {
            JsonNode node = root.get("size");
            if (node == null || node.isNull()) {
                return siglip ? new FixedSize(DEFAULT_SIZE, DEFAULT_SIZE) : new ShortestEdge(DEFAULT_SIZE);
            }
            if (node.isIntegralNumber()) {
                // Older configs give a bare int: CLIP reads it as the shortest edge, SigLIP as a square.
                int v = positive("size", node);
                return siglip ? new FixedSize(v, v) : new ShortestEdge(v);
            }
            if (!node.isObject()) {
                throw error("size", "expected an object such as {\"shortest_edge\": 336} or {\"height\": 384, \"width\": 384}, got " + node);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                String key = it.next().getKey();
                if (!key.equals("shortest_edge") && !key.equals("height") && !key.equals("width")) {
                    throw error("size", "unsupported key '" + key + "'; expected shortest_edge, or height and width");
                }
            }
            if (node.has("height") || node.has("width")) {
                if (!node.has("height") || !node.has("width") || node.has("shortest_edge")) {
                    throw error("size", "give both height and width, or only shortest_edge, got " + node);
                }
                return new FixedSize(positive("size.height", node.get("height")), positive("size.width", node.get("width")));
            }
            if (siglip) {
                throw error("size", "SiglipImageProcessor needs height and width, got " + node);
            }
            if (!node.has("shortest_edge")) {
                throw error("size", "empty; expected shortest_edge, or height and width");
            }
            return new ShortestEdge(positive("size.shortest_edge", node.get("shortest_edge")));
        }

        private int[] cropSize() {
            JsonNode node = root.get("crop_size");
            if (node == null || node.isNull()) {
                return new int[] {DEFAULT_SIZE, DEFAULT_SIZE};
            }
            if (node.isIntegralNumber()) {
                int v = positive("crop_size", node);
                return new int[] {v, v};
            }
            if (!node.isObject() || !node.has("height") || !node.has("width")) {
                throw error("crop_size", "expected {\"height\": H, \"width\": W} or an integer, got " + node);
            }
            return new int[] {positive("crop_size.height", node.get("height")),
                    positive("crop_size.width", node.get("width"))};
        }

        private double[] channels(String field, double[] fallback) {
            JsonNode node = root.get(field);
            if (node == null || node.isNull()) {
                return fallback.clone();
            }
            if (node.isNumber()) {
                double v = node.asDouble();
                return new double[] {v, v, v};
            }
            if (!node.isArray() || node.size() != 3) {
                throw error(field, "expected 3 numbers (one per RGB channel), got " + node);
            }
            double[] out = new double[3];
            for (int i = 0; i < 3; i++) {
                JsonNode v = node.get(i);
                if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                    throw error(field, "element " + i + " is not a finite number: " + v);
                }
                out[i] = v.asDouble();
            }
            return out;
        }

        private boolean bool(String field, boolean fallback) {
            JsonNode node = root.get(field);
            if (node == null || node.isNull()) {
                return fallback;
            }
            if (!node.isBoolean()) {
                throw error(field, "expected true or false, got " + node);
            }
            return node.asBoolean();
        }

        private int integer(String field, int fallback) {
            JsonNode node = root.get(field);
            if (node == null || node.isNull()) {
                return fallback;
            }
            if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                throw error(field, "expected an integer, got " + node);
            }
            return node.asInt();
        }

        private double number(String field, double fallback) {
            JsonNode node = root.get(field);
            if (node == null || node.isNull()) {
                return fallback;
            }
            if (!node.isNumber()) {
                throw error(field, "expected a number, got " + node);
            }
            return node.asDouble();
        }

        private int positive(String field, JsonNode node) {
            if (node == null || !node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() <= 0) {
                throw error(field, "expected a positive integer, got " + node);
            }
            return node.asInt();
        }

        private ImageConfigLoadException error(String field, String problem) {
            return new ImageConfigLoadException(file + ": " + field + ": " + problem);
        }
    }
}
