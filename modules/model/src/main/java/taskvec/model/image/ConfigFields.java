package taskvec.model.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Typed fields of one {@code preprocessor_config.json}, with Hugging Face's default for a field the
 * file leaves out; every error is an {@link ImageConfigLoadException} naming the file and the field.
 * Shared by the processors' config readers.
 */
final class ConfigFields {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final JsonNode root;

    ConfigFields(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    /** Reads the file, which must hold a JSON object. */
    static ConfigFields read(Path file) {
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
        return new ConfigFields(file, root);
    }

    /** These fields with some replaced (top-level keys of the override win). */
    ConfigFields withOverride(ObjectNode override) {
        ObjectNode merged = ((ObjectNode) root).deepCopy();
        merged.setAll(override);
        return new ConfigFields(file, merged);
    }

    Path file() {
        return file;
    }

    /** The field's node, or null when absent or null. */
    JsonNode node(String field) {
        JsonNode node = root.get(field);
        return node == null || node.isNull() ? null : node;
    }

    /** The processor class the file names ({@code image_processor_type}, or the older feature_extractor_type). */
    String processorType() {
        String field = root.has("image_processor_type") ? "image_processor_type" : "feature_extractor_type";
        JsonNode node = node(field);
        if (node == null) {
            throw error("image_processor_type", "missing; the file must name its processor class");
        }
        if (!node.isTextual()) {
            throw error(field, "expected a string, got " + node);
        }
        return node.asText();
    }

    boolean bool(String field, boolean fallback) {
        JsonNode node = node(field);
        if (node == null) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw error(field, "expected true or false, got " + node);
        }
        return node.asBoolean();
    }

    int integer(String field, int fallback) {
        JsonNode node = node(field);
        if (node == null) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw error(field, "expected an integer, got " + node);
        }
        return node.asInt();
    }

    double number(String field, double fallback) {
        JsonNode node = node(field);
        if (node == null) {
            return fallback;
        }
        if (!node.isNumber()) {
            throw error(field, "expected a number, got " + node);
        }
        return node.asDouble();
    }

    int positive(String field, JsonNode node) {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() <= 0) {
            throw error(field, "expected a positive integer, got " + node);
        }
        return node.asInt();
    }

    /** {@code resample}: a Pillow filter code. */
    ResampleFilter resample(int fallback) {
        int code = integer("resample", fallback);
        return ResampleFilter.fromPilCode(code).orElseThrow(() -> error("resample", code == 0
                ? "0 (NEAREST) is not supported; supported: 1 LANCZOS, 2 BILINEAR, 3 BICUBIC, 4 BOX, 5 HAMMING"
                : code + " is not a Pillow filter (1 LANCZOS, 2 BILINEAR, 3 BICUBIC, 4 BOX, 5 HAMMING)"));
    }

    /** do_rescale, rescale_factor, do_normalize, image_mean, image_std. */
    Normalization normalization(double[] defaultMean, double[] defaultStd) {
        boolean doRescale = bool("do_rescale", true);
        double rescaleFactor = number("rescale_factor", 1.0 / 255.0);
        if (!(rescaleFactor > 0) || Double.isInfinite(rescaleFactor)) {
            throw error("rescale_factor", "must be a positive finite number, got " + rescaleFactor);
        }
        boolean doNormalize = bool("do_normalize", true);
        double[] mean = channels("image_mean", defaultMean);
        double[] std = channels("image_std", defaultStd);
        for (double s : std) {
            if (s == 0.0) {
                throw error("image_std", "contains 0, which would divide by zero");
            }
        }
        return new Normalization(doRescale, rescaleFactor, doNormalize, mean, std);
    }

    double[] channels(String field, double[] fallback) {
        JsonNode node = node(field);
        if (node == null) {
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

    ImageConfigLoadException error(String field, String problem) {
        return new ImageConfigLoadException(file + ": " + field + ": " + problem);
    }
}
