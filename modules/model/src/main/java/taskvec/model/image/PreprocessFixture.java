package taskvec.model.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import taskvec.model.safetensors.SafetensorsFile;

/**
 * Runs the cases of a preprocessing fixture folder (format in shared/fixtures/README.md,
 * "Preprocessing fixture" and "preprocess2"): each case names the processor class it checks
 * ({@code class}; cases without it are CLIP/SigLIP cases of the first format), and the handler of
 * that class runs it against {@code expected.safetensors} within the tolerance that
 * {@code cases.json} states. A case of a class no handler knows is reported as unsupported; the other
 * cases still run.
 */
public final class PreprocessFixture {

    /** How a result compares. */
    public enum Compare {
        RESIZED_UINT8("resized_uint8"), PIXEL_VALUES("pixel_values"), PIXEL_ATTENTION_MASK("pixel_attention_mask"),
        IMAGE_PATCHES("image_patches"), SHAPE("shape"), NONE("-");

        private final String key;

        Compare(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /** Whether a result passed, failed, or could not run because no handler knows its processor class. */
    public enum Outcome {
        PASS, FAIL, UNSUPPORTED
    }

    /**
     * The fixture's tolerance: for {@code resized_uint8} at most {@code maxAbsLevels} off anywhere
     * and at least {@code exactFraction} of values exact; for {@code pixel_values} (floats from resized
     * pixels) at most {@code pixelValuesMaxAbs} off; for floats from pixels that were not resized at most
     * {@code floatMaxAbs} (NaN when the fixture states none).
     */
    public record Tolerance(double maxAbsLevels, double exactFraction, double pixelValuesMaxAbs, double floatMaxAbs) {
    }

    /**
     * One result of a case (a case may give several, e.g. one per crop).
     *
     * @param name          e.g. {@code wide-rgb.png|clip-336|0|u8} or {@code idefics2/small-batch/pixel_values}
     * @param compare       what was compared
     * @param maxAbsError   the largest absolute difference (8-bit levels, or pixel-value units)
     * @param exactFraction the share of values that match exactly
     * @param outcome       pass, fail or unsupported
     * @param detail        why it failed or did not run, or empty
     */
    public record CaseResult(String name, Compare compare, double maxAbsError, double exactFraction, Outcome outcome,
                             String detail) {

        public boolean passed() {
            return outcome == Outcome.PASS;
        }

        /** A result of a case no handler runs. */
        static CaseResult unsupported(String name, String detail) {
            return new CaseResult(name, Compare.NONE, Double.NaN, 0, Outcome.UNSUPPORTED, detail);
        }

        /** A failure before anything could be compared (an image that cannot be processed, a wrong shape). */
        static CaseResult failed(String name, Compare compare, String detail) {
            return new CaseResult(name, compare, Double.NaN, 0, Outcome.FAIL, detail);
        }

        /** One line for a report: name, compare, errors, PASS, FAIL or UNSUPPORTED. */
        public String summary() {
            String line = String.format("%-40s %-13s max_abs=%-11.4g exact=%7.3f%%  %s", name, compare.key(),
                    maxAbsError, 100 * exactFraction, outcome);
            return detail.isEmpty() ? line : line + "  (" + detail + ")";
        }
    }

    /** Processor class (as a case's {@code class} names it) -> the handler that runs its cases. */
    private static final Map<String, PreprocessCaseHandler> HANDLERS = Map.of(
            "Idefics2ImageProcessorPil", new Idefics2Cases(),
            "Idefics2ImageProcessor", new Idefics2Cases(),
            "FuyuImageProcessorPil", new FuyuCases(),
            "FuyuImageProcessor", new FuyuCases());

    /** Cases without {@code class}: the first fixture's CLIP/SigLIP cases. */
    private static final PreprocessCaseHandler UNNAMED_CLASS = new ClipSiglipCases();

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

    /** True when no result failed (unsupported results do not count as failures; print them). */
    public static boolean noneFailed(List<CaseResult> results) {
        return results.stream().noneMatch(r -> r.outcome() == Outcome.FAIL);
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
        List<CaseResult> results = new ArrayList<>();
        try (SafetensorsFile expected = SafetensorsFile.open(expectedFile)) {
            for (int i = 0; i < cases.size(); i++) {
                PreprocessCase c = new PreprocessCase(fixtureDir, casesFile, i, cases.get(i), expected, expectedFile,
                        tolerance);
                JsonNode className = cases.get(i).get("class");
                if (className == null) {
                    results.addAll(UNNAMED_CLASS.run(c));
                    continue;
                }
                PreprocessCaseHandler handler = HANDLERS.get(className.asText());
                if (handler == null) {
                    results.add(CaseResult.unsupported(c.name(),
                            "no handler for processor class " + className.asText()));
                } else {
                    results.addAll(handler.run(c));
                }
            }
        }
        return results;
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
        JsonNode floats = t.path("float").path("max_abs");
        return new Tolerance(
                requiredNumber(casesFile, t, "resized_uint8", "max_abs_levels"),
                requiredNumber(casesFile, t, "resized_uint8", "exact_fraction"),
                requiredNumber(casesFile, t, "pixel_values", "max_abs"),
                floats.isNumber() ? floats.asDouble() : Double.NaN);
    }

    private static double requiredNumber(Path casesFile, JsonNode tolerance, String group, String field) {
        JsonNode v = tolerance.path(group).path(field);
        if (!v.isNumber()) {
            throw new PreprocessFixtureLoadException(casesFile + ": tolerance." + group + "." + field
                    + ": expected a number, got " + (v.isMissingNode() ? "nothing" : v.toString()));
        }
        return v.asDouble();
    }
}
