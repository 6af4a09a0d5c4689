package taskvec.model.image;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;

/**
 * The settings of a {@code FuyuImageProcessor} {@code preprocessor_config.json}, with Hugging Face's defaults for
 * fields the file leaves out (1080 x 1920 target, BILINEAR, pad value 1.0, 0.5 / 0.5 normalization, 30 x 30
 * patches).
 *
 * @param source        the file this was read from (for error messages)
 * @param doResize      whether an image larger than the target is scaled down to fit
 * @param targetHeight  {@code size.height}
 * @param targetWidth   {@code size.width}
 * @param resample      the Pillow filter of the resize
 * @param paddingValue  what padded pixels hold, on the 0..255 scale (before rescaling)
 * @param normalization rescale and normalize
 * @param patchHeight   {@code patch_size.height}
 * @param patchWidth    {@code patch_size.width}
 * @param processorClass the prompt processor the file names ({@code processor_class}: FuyuProcessor, or Mantis'
 *                      MFuyuProcessor), or null
 */
public record FuyuProcessorConfig(Path source, boolean doResize, int targetHeight, int targetWidth,
                                  ResampleFilter resample, double paddingValue, Normalization normalization,
                                  int patchHeight, int patchWidth, String processorClass) {

    public static final String PROCESSOR_TYPE = "FuyuImageProcessor";
    private static final double[] HALF = {0.5, 0.5, 0.5};

    /** Whether a preprocessor_config.json names this processor. */
    public static boolean describes(Path file) {
        return ConfigFields.read(file).processorType().equals(PROCESSOR_TYPE);
    }

    /** Reads the file; any problem is an {@link ImageConfigLoadException} naming the file and the field. */
    public static FuyuProcessorConfig load(Path file) {
        ConfigFields fields = ConfigFields.read(file);
        String type = fields.processorType();
        if (!type.equals(PROCESSOR_TYPE)) {
            throw fields.error("image_processor_type", "'" + type + "' is not " + PROCESSOR_TYPE);
        }
        int[] size = heightWidth(fields, "size", 1080, 1920);
        int[] patch = heightWidth(fields, "patch_size", 30, 30);
        // a resized image may fill the target; its patch grid must then end at the target's edge
        if (size[0] % patch[0] != 0 || size[1] % patch[1] != 0) {
            throw fields.error("size", size[0] + "x" + size[1] + " (height x width) is not a whole number of "
                    + patch[0] + "x" + patch[1] + " patches");
        }
        // the patch grid needs the padding; without it HF's patches would not tile the image
        if (!fields.bool("do_pad", true)) {
            throw fields.error("do_pad", "false is not supported: the patch grid is cut from the padded image");
        }
        JsonNode mode = fields.node("padding_mode");
        if (mode != null && !"constant".equals(mode.asText())) {
            throw fields.error("padding_mode", mode + " is not supported (constant)");
        }
        return new FuyuProcessorConfig(fields.file(), fields.bool("do_resize", true), size[0], size[1],
                fields.resample(ResampleFilter.BILINEAR.pilCode()), fields.number("padding_value", 1.0),
                fields.normalization(HALF, HALF), patch[0], patch[1],
                fields.node("processor_class") == null ? null : fields.node("processor_class").asText());
    }

    /**
     * Per-channel float values for an image of c channels: HF applies a single value (as Fuyu's configs give
     * image_mean 0.5) to every channel; three different values fit only three channels.
     */
    float[] perChannel(double[] values, int c, String field) {
        boolean same = values[0] == values[1] && values[1] == values[2];
        if (!same && c != 3) {
            throw new ImageInputException(source + ": " + field + " has one value per RGB channel but the image has "
                    + c + " channel(s)");
        }
        float[] out = new float[c];
        for (int i = 0; i < c; i++) {
            out[i] = (float) values[same ? 0 : i];
        }
        return out;
    }

    private static int[] heightWidth(ConfigFields fields, String field, int height, int width) {
        JsonNode node = fields.node(field);
        if (node == null) {
            return new int[] {height, width};
        }
        if (!node.isObject() || !node.has("height") || !node.has("width")) {
            throw fields.error(field, "expected {\"height\": H, \"width\": W}, got " + node);
        }
        return new int[] {fields.positive(field + ".height", node.get("height")),
                fields.positive(field + ".width", node.get("width"))};
    }
}
