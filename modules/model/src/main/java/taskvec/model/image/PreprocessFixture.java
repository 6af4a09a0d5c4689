package taskvec.model.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import taskvec.model.safetensors.SafetensorsFile;
import taskvec.model.safetensors.TensorInfo;

/**
 * Runs the cases of a preprocessing fixture folder (format in shared/fixtures/README.md,
 * "Preprocessing fixture"): each case names an image, a processor config and an optional
 * pre-resize width, and compares either the 8-bit image after resize and crop
 * ({@code resized_uint8}) or the normalized pixel values ({@code pixel_values}) with a tensor of
 * {@code expected.safetensors}, within the tolerance that {@code cases.json} states.
 */
public final class PreprocessFixture {

    /** How a case compares. */
    public enum Compare {
        RESIZED_UINT8("resized_uint8"), PIXEL_VALUES("pixel_values");

        private final String key;

        Compare(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /**
     * The fixture's tolerance: for {@code resized_uint8} at most {@code maxAbsLevels} off anywhere
     * and at least {@code exactFraction} of values exact; for {@code pixel_values} at most
     * {@code pixelValuesMaxAbs} off anywhere.
     */
    public record Tolerance(double maxAbsLevels, double exactFraction, double pixelValuesMaxAbs) {
    }

    /**
     * One case's outcome.
     *
     * @param name          the case's expected-tensor key, e.g. {@code wide-rgb.png|clip-336|0|u8}
     * @param compare       what was compared
     * @param maxAbsError   the largest absolute difference (8-bit levels, or pixel-value units)
     * @param exactFraction the share of values that match exactly
     * @param passed        whether the case is within tolerance
     * @param detail        why it failed, or empty
     */
    public record CaseResult(String name, Compare compare, double maxAbsError, double exactFraction, boolean passed,
                             String detail) {

        /** One line for a report: name, compare, errors, PASS or FAIL. */
        public String summary() {
            String line = String.format("%-40s %-13s max_abs=%-11.4g exact=%7.3f%%  %s", name, compare.key(),
                    maxAbsError, 100 * exactFraction, passed ? "PASS" : "FAIL");
            return detail.isEmpty() ? line : line + "  (" + detail + ")";
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private PreprocessFixture() {
    }

    /** Whether the folder looks like a preprocessing fixture (so a CLI can pick this runner). */
    public static boolean isPreprocessFixture(Path fixtureDir) {
        Path cases = fixtureDir.resolve("cases.json");
        if (!Files.isRegularFile(cases) || !Files.isRegularFile(fixtureDir.resolve("expected.safetensors"))) {
            return false;
        }
        try {
            JsonNode list = JSON.readTree(cases.toFile()).path("cases");
            return list.isArray() && list.size() > 0 && list.get(0).has("processor_config");
        } catch (IOException e) {
            return false;
        }
    }

    /** The fixture's tolerance as cases.json states it. */
    public static Tolerance tolerance(Path fixtureDir) {
        return readTolerance(fixtureDir.resolve("cases.json"), readCases(fixtureDir));
    }

    /**
     * Runs every case of the fixture folder. A case whose image cannot be processed fails with the
     * error as its detail; a folder that cannot be read at all is a
     * {@link PreprocessFixtureLoadException}.
     */
    public static List<CaseResult> verify(Path fixtureDir) {
        Path casesFile = fixtureDir.resolve("cases.json");
        JsonNode root = readCases(fixtureDir);
        Tolerance tolerance = readTolerance(casesFile, root);
        Path expectedFile = fixtureDir.resolve("expected.safetensors");
        if (!Files.isRegularFile(expectedFile)) {
            throw new PreprocessFixtureLoadException(expectedFile + ": expected tensors file does not exist");
        }
        JsonNode cases = root.get("cases");
        if (cases == null || !cases.isArray()) {
            throw new PreprocessFixtureLoadException(casesFile + ": cases: expected a list");
        }
        Map<String, ImageProcessor> processors = new HashMap<>();
        List<CaseResult> results = new ArrayList<>();
        try (SafetensorsFile expected = SafetensorsFile.open(expectedFile)) {
            for (int i = 0; i < cases.size(); i++) {
                Case c = Case.parse(casesFile, i, cases.get(i));
                ImageProcessor processor = processors.computeIfAbsent(c.processorConfig,
                        name -> ImageProcessor.fromConfig(fixtureDir.resolve(name)));
                results.add(run(fixtureDir, c, processor, expected, expectedFile, tolerance));
            }
        }
        return results;
    }

    private static CaseResult run(Path dir, Case c, ImageProcessor processor, SafetensorsFile expected,
                                  Path expectedFile, Tolerance tolerance) {
        if (!expected.has(c.expected)) {
            throw new PreprocessFixtureLoadException(expectedFile + ": no tensor '" + c.expected + "' for case "
                    + c.expected);
        }
        TensorInfo info = expected.info(c.expected);
        double[] want = info.dtype().isFloatingPoint()
                ? expected.readDoubles(c.expected)
                : Arrays.stream(expected.readInts(c.expected)).asDoubleStream().toArray();
        double[] got;
        long[] gotShape;
        try {
            Path image = dir.resolve(c.image);
            if (c.compare == Compare.RESIZED_UINT8) {
                RgbImage resized = processor.resized(ImageDecoder.decode(image), c.preResizeWidth);
                got = Arrays.stream(resized.toChw()).asDoubleStream().toArray();
                gotShape = new long[] {3, resized.height(), resized.width()};
            } else {
                PixelValues px = processor.process(image, c.preResizeWidth);
                got = new double[px.data().length];
                for (int i = 0; i < got.length; i++) {
                    got[i] = px.data()[i];
                }
                gotShape = px.shape();
            }
        } catch (ImageInputException | ImageConfigLoadException | IllegalArgumentException e) {
            return new CaseResult(c.expected, c.compare, Double.NaN, 0, false, e.getMessage());
        }
        if (!Arrays.equals(gotShape, info.shape())) {
            return new CaseResult(c.expected, c.compare, Double.NaN, 0, false,
                    "shape " + Arrays.toString(gotShape) + ", expected " + Arrays.toString(info.shape()));
        }
        double maxAbs = 0;
        long exact = 0;
        for (int i = 0; i < got.length; i++) {
            double d = Math.abs(got[i] - want[i]);
            maxAbs = Math.max(maxAbs, d);
            if (d == 0) {
                exact++;
            }
        }
        double exactFraction = got.length == 0 ? 1.0 : (double) exact / got.length;
        String detail = "";
        boolean passed;
        if (c.compare == Compare.RESIZED_UINT8) {
            passed = maxAbs <= tolerance.maxAbsLevels() && exactFraction >= tolerance.exactFraction();
            if (!passed) {
                detail = "limits: max_abs " + tolerance.maxAbsLevels() + ", exact >= " + tolerance.exactFraction();
            }
        } else {
            passed = maxAbs <= tolerance.pixelValuesMaxAbs();
            if (!passed) {
                detail = "limit: max_abs " + tolerance.pixelValuesMaxAbs();
            }
        }
        return new CaseResult(c.expected, c.compare, maxAbs, exactFraction, passed, detail);
    }

    private static JsonNode readCases(Path fixtureDir) {
        Path casesFile = fixtureDir.resolve("cases.json");
        if (!Files.isRegularFile(casesFile)) {
            throw new PreprocessFixtureLoadException(casesFile + ": cases file does not exist");
        }
        try {
            JsonNode root = JSON.readTree(casesFile.toFile());
            if (root == null || !root.isObject()) {
                throw new PreprocessFixtureLoadException(casesFile + ": expected a JSON object");
            }
            return root;
        } catch (IOException e) {
            throw new PreprocessFixtureLoadException(casesFile + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static Tolerance readTolerance(Path casesFile, JsonNode root) {
        JsonNode t = root.path("tolerance");
        return new Tolerance(
                requiredNumber(casesFile, t, "resized_uint8", "max_abs_levels"),
                requiredNumber(casesFile, t, "resized_uint8", "exact_fraction"),
                requiredNumber(casesFile, t, "pixel_values", "max_abs"));
    }

    private static double requiredNumber(Path casesFile, JsonNode tolerance, String group, String field) {
        JsonNode v = tolerance.path(group).path(field);
        if (!v.isNumber()) {
            throw new PreprocessFixtureLoadException(casesFile + ": tolerance." + group + "." + field
                    + ": expected a number, got " + (v.isMissingNode() ? "nothing" : v.toString()));
        }
        return v.asDouble();
    }

    /** One entry of cases.json. */
    private record Case(String image, String processorConfig, OptionalInt preResizeWidth, String expected,
                        Compare compare) {

        static Case parse(Path casesFile, int index, JsonNode node) {
            String where = casesFile + ": cases[" + index + "]";
            String image = text(where, node, "image");
            String config = text(where, node, "processor_config");
            String expected = text(where, node, "expected");
            JsonNode width = node.path("pre_resize_width");
            OptionalInt preResize;
            if (width.isMissingNode() || width.isNull()) {
                preResize = OptionalInt.empty();
            } else if (width.isIntegralNumber() && width.asInt() > 0) {
                preResize = OptionalInt.of(width.asInt());
            } else {
                throw new PreprocessFixtureLoadException(where + ".pre_resize_width: expected a positive integer or null, got "
                        + width);
            }
            String compareKey = text(where, node, "compare");
            Compare compare = Arrays.stream(Compare.values()).filter(k -> k.key().equals(compareKey)).findFirst()
                    .orElseThrow(() -> new PreprocessFixtureLoadException(where + ".compare: unknown comparison '"
                            + compareKey + "'; expected resized_uint8 or pixel_values"));
            return new Case(image, config, preResize, expected, compare);
        }

        private static String text(String where, JsonNode node, String field) {
            JsonNode v = node.path(field);
            if (!v.isTextual() || v.asText().isEmpty()) {
                throw new PreprocessFixtureLoadException(where + "." + field + ": expected a non-empty string, got "
                        + (v.isMissingNode() ? "nothing" : v.toString()));
            }
            return v.asText();
        }
    }
}
