package taskvec.model.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * The settings of an {@code Idefics2ImageProcessor} {@code preprocessor_config.json}, with Hugging
 * Face's defaults for fields the file leaves out (378/980 edges, BILINEAR, 0.5/0.5 normalization,
 * padding on, splitting off).
 *
 * @param source           the file this was read from (for error messages)
 * @param doResize         whether to resize
 * @param shortestEdge     {@code size.shortest_edge}: each side is raised to at least this, on its own
 * @param longestEdge      {@code size.longest_edge}: a longer side is scaled down to this, keeping the aspect
 * @param resample         the Pillow filter
 * @param normalization    rescale and normalize
 * @param doPad            pad a batch to its largest crop (what {@code pixel_attention_mask} marks)
 * @param doImageSplitting four quarters and the whole image per image, instead of the whole image
 */
public record Idefics2ProcessorConfig(Path source, boolean doResize, int shortestEdge, int longestEdge,
                                      ResampleFilter resample, Normalization normalization, boolean doPad,
                                      boolean doImageSplitting) {

    public static final String PROCESSOR_TYPE = "Idefics2ImageProcessor";
    private static final double[] IDEFICS_STANDARD_MEAN = {0.5, 0.5, 0.5};
    private static final double[] IDEFICS_STANDARD_STD = {0.5, 0.5, 0.5};

    /** Whether a preprocessor_config.json names this processor. */
    public static boolean describes(Path file) {
        return ConfigFields.read(file).processorType().equals(PROCESSOR_TYPE);
    }

    /** Reads the file; any problem is an {@link ImageConfigLoadException} naming the file and the field. */
    public static Idefics2ProcessorConfig load(Path file) {
        return parse(ConfigFields.read(file));
    }

    /** The file with some fields replaced (a fixture case's {@code config_override}). */
    public static Idefics2ProcessorConfig load(Path file, ObjectNode override) {
        ConfigFields fields = ConfigFields.read(file);
        return parse(fields.withOverride(override));
    }

    private static Idefics2ProcessorConfig parse(ConfigFields fields) {
        String type = fields.processorType();
        if (!type.equals(PROCESSOR_TYPE)) {
            throw fields.error("image_processor_type", "'" + type + "' is not " + PROCESSOR_TYPE);
        }
        int shortest = 378;
        int longest = 980;
        JsonNode size = fields.node("size");
        if (size != null) {
            if (!size.isObject()) {
                throw fields.error("size", "expected {\"shortest_edge\": S, \"longest_edge\": L}, got " + size);
            }
            for (Iterator<String> it = size.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!key.equals("shortest_edge") && !key.equals("longest_edge")) {
                    throw fields.error("size", "unsupported key '" + key + "'; Idefics2 takes shortest_edge and longest_edge");
                }
            }
            if (!size.has("shortest_edge") || !size.has("longest_edge")) {
                throw fields.error("size", "needs both shortest_edge and longest_edge, got " + size);
            }
            shortest = fields.positive("size.shortest_edge", size.get("shortest_edge"));
            longest = fields.positive("size.longest_edge", size.get("longest_edge"));
        }
        return new Idefics2ProcessorConfig(fields.file(), fields.bool("do_resize", true), shortest, longest,
                fields.resample(ResampleFilter.BILINEAR.pilCode()),
                fields.normalization(IDEFICS_STANDARD_MEAN, IDEFICS_STANDARD_STD),
                fields.bool("do_pad", true), fields.bool("do_image_splitting", false));
    }

    /** Crops each image becomes: the four quarters and the whole image with splitting, else the whole image. */
    public int cropsPerImage() {
        return doImageSplitting ? 5 : 1;
    }
}
