package taskvec.model.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import taskvec.model.EncodedPrompt;
import taskvec.model.ModelLoadException;
import taskvec.model.Row;
import taskvec.model.RowResult;
import taskvec.model.RuntimeSettings;
import taskvec.model.hooks.Capture;
import taskvec.model.hooks.HookName;
import taskvec.model.hooks.Intervention;
import taskvec.model.image.PixelValues;
import taskvec.model.runtime.LoadedModel;
import taskvec.model.safetensors.SafetensorsFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs every case of a golden-fixture folder (cases.json, expected.safetensors, model/; see the fixtures
 * README) through {@link LoadedModel#load} and {@link LoadedModel#run}, the path users run, and reports per case
 * the largest error relative to the tolerance: {@code |actual - expected| / (abs + rel * |expected|)}, so a case
 * passes when that is at most 1 and its generated tokens match exactly.
 */
public final class FixtureVerifier {

    private static final Set<String> EXPECT_KEYS = Set.of("layer_out", "logits", "logit_lens", "image_features",
            "image_embeds", "image_patches");

    /** One check of a case, e.g. "layer_out": its largest relative error (infinite for a token mismatch). */
    public record Check(String name, double maxError, String detail) {
        public boolean passed() {
            return maxError <= 1.0;
        }
    }

    public record CaseResult(String name, double maxError, boolean passed, List<Check> checks) {
        /** One line: name, largest error, PASS/FAIL, and the failing checks. */
        public String line() {
            StringBuilder sb = new StringBuilder(String.format("%-28s max error %.4f  %s", name, maxError,
                    passed ? "PASS" : "FAIL"));
            for (Check c : checks) {
                if (!c.passed()) {
                    sb.append("  [").append(c.name()).append(": ").append(c.detail()).append(']');
                }
            }
            return sb.toString();
        }
    }

    public record Report(Path fixture, List<CaseResult> cases) {
        public boolean allPassed() {
            return cases.stream().allMatch(CaseResult::passed);
        }
    }

    private FixtureVerifier() {
    }

    /**
     * How much wider the tolerance is in float16 than the fixtures' float32 tolerance (2e-4 abs + 2e-4 rel becomes
     * 0.2 + 0.2): float16 keeps 11 significant bits against float32's 24 (a unit roundoff 8192 times larger), the
     * weights themselves are rounded to it, and the rounding adds up over the layers of the fixtures' random models.
     * Measured on CPU (libtorch 2.7.1): the largest float16 error of any fixture was 420 times the float32 tolerance
     * (llava-clip-llama), so 1000 leaves a factor 2.4; a wrong formula (RoPE, a norm, a weight) moves values by
     * their own size and still fails. Greedy tokens are compared exactly; in float16 a flip is expected where the
     * fixture's top-two margin (at least 2e-3) is below float16's rounding, and the doctor command prints but does
     * not count it.
     */
    public static final double FLOAT16_TOLERANCE_SCALE = 1000;

    public static Report verify(Path fixtureDir, RuntimeSettings settings) {
        return verify(fixtureDir, settings, 1.0);
    }

    /** As {@link #verify(Path, RuntimeSettings)} with every tolerance multiplied by {@code toleranceScale}. */
    public static Report verify(Path fixtureDir, RuntimeSettings settings, double toleranceScale) {
        Path casesFile = fixtureDir.resolve("cases.json");
        Path expectedFile = fixtureDir.resolve("expected.safetensors");
        if (!Files.isRegularFile(casesFile)) {
            throw new ModelLoadException(casesFile + ": not found (a fixture folder needs cases.json)");
        }
        if (!Files.isRegularFile(expectedFile)) {
            throw new ModelLoadException(expectedFile + ": not found (a fixture folder needs expected.safetensors)");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(casesFile.toFile());
        } catch (IOException e) {
            throw new ModelLoadException(casesFile + ": not valid JSON: " + e.getMessage(), e);
        }
        if (root.path("format").asInt(1) != 1) {
            throw new ModelLoadException(casesFile + ": fixture format " + root.path("format") + " is not supported (1)");
        }
        if (!root.path("cases").isArray()) {
            throw new ModelLoadException(casesFile + ": cases must be a list");
        }
        Tolerance tolerance = Tolerance.of(root.path("tolerance"), casesFile).times(toleranceScale);
        Path modelDir = fixtureDir.resolve(root.path("model_dir").asText("model"));
        List<CaseResult> results = new ArrayList<>();
        try (SafetensorsFile expected = SafetensorsFile.open(expectedFile);
             LoadedModel model = LoadedModel.load(modelDir, settings)) {
            Expected values = new Expected(expected, expectedFile);
            for (JsonNode c : root.path("cases")) {
                Tolerance tol = c.has("tolerance") ? Tolerance.of(c.get("tolerance"), casesFile).times(toleranceScale) : tolerance;
                results.add(runCase(model, c, values, tol, casesFile));
            }
        }
        return new Report(fixtureDir, results);
    }

    private static CaseResult runCase(LoadedModel model, JsonNode c, Expected values, Tolerance tol, Path casesFile) {
        String name = c.path("name").asText("?");
        int[] ids = intArray(c.path("input_ids"));
        int t = ids.length;
        int layers = model.numLayers();
        List<PixelValues> pixels = pixelValues(c.path("pixel_values"), values, casesFile, name);
        List<Intervention> patches = new ArrayList<>();
        JsonNode patch = c.path("patch");
        if (!patch.isMissingNode() && !patch.isNull()) {
            double[] v = values.read(patch.path("vector").asText());
            float[] vector = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                vector[i] = (float) v[i];
            }
            patches.add(Intervention.replace(patch.path("layer").asInt(), patch.path("position").asInt(), vector));
        }
        JsonNode expect = c.path("expect");
        expect.fieldNames().forEachRemaining(k -> {
            if (!EXPECT_KEYS.contains(k)) {
                throw new IllegalArgumentException(casesFile + ": case " + name + ": unknown expect key '" + k + "'");
            }
        });
        List<Capture> captures = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            for (int p = 0; p < t; p++) {
                captures.add(Capture.residPost(l, p));
            }
        }
        // a vision-side capture reads a row of the site's tensor, images concatenated in prompt order
        Map<String, HookName> visionSites = Map.of("image_features", HookName.parse("vision.hook_features"),
                "image_embeds", HookName.parse("projector.hook_out"),
                "image_patches", HookName.parse("vision.hook_patches"));
        Map<String, Integer> visionRows = new LinkedHashMap<>();
        for (Map.Entry<String, HookName> site : visionSites.entrySet()) {
            if (expect.has(site.getKey())) {
                int rows = (int) values.shape(expect.get(site.getKey()).asText())[0];
                visionRows.put(site.getKey(), rows);
                for (int r = 0; r < rows; r++) {
                    captures.add(new Capture(site.getValue(), r));
                }
            }
        }
        JsonNode generate = c.path("generate");
        int maxNew = generate.isObject() ? generate.path("max_new_tokens").asInt() : 0;
        String[] tokens = new String[t];
        Arrays.fill(tokens, "");
        Row row = new Row(new EncodedPrompt(ids, tokens, pixels), patches, captures, maxNew, Set.of());
        RowResult result = model.run(List.of(row)).get(0);

        List<Check> checks = new ArrayList<>();
        if (expect.has("layer_out")) {
            String key = expect.get("layer_out").asText();
            double[] e = values.read(key);
            float[] a = new float[e.length];
            int d = e.length / (layers * t);
            for (int l = 0; l < layers; l++) {
                for (int p = 0; p < t; p++) {
                    System.arraycopy(result.captured().get(Capture.residPost(l, p)), 0, a, (l * t + p) * d, d);
                }
            }
            checks.add(compare("layer_out", a, e, tol));
        }
        if (expect.has("logits")) {
            double[] e = values.read(expect.get("logits").asText());
            int v = e.length / t;
            float[] a = new float[e.length];
            for (int p = 0; p < t; p++) {
                System.arraycopy(model.logitsOf(result.captured().get(Capture.residPost(layers - 1, p))), 0, a, p * v, v);
            }
            checks.add(compare("logits", a, e, tol));
            checks.add(compare("last_logits", result.lastLogits(), Arrays.copyOfRange(e, (t - 1) * v, t * v), tol));
        }
        if (expect.has("logit_lens")) {
            JsonNode lens = expect.get("logit_lens");
            int position = lens.path("position").asInt();
            double[] e = values.read(lens.path("key").asText());
            int v = e.length / layers;
            float[] a = new float[e.length];
            for (int l = 0; l < layers; l++) {
                System.arraycopy(model.logitsOf(result.captured().get(Capture.residPost(l, position))), 0, a, l * v, v);
            }
            checks.add(compare("logit_lens", a, e, tol));
        }
        for (Map.Entry<String, Integer> site : visionRows.entrySet()) {
            double[] e = values.read(expect.get(site.getKey()).asText());
            int rows = site.getValue();
            int width = e.length / rows;
            float[] a = new float[e.length];
            for (int r = 0; r < rows; r++) {
                float[] got = result.captured().get(new Capture(visionSites.get(site.getKey()), r));
                if (got.length != width) {
                    return failed(name, site.getKey(), "rows of width " + got.length + ", expected " + width);
                }
                System.arraycopy(got, 0, a, r * width, width);
            }
            checks.add(compare(site.getKey(), a, e, tol));
        }
        if (generate.isObject()) {
            int[] want = intArray(generate.path("tokens"));
            boolean same = Arrays.equals(want, result.generated());
            checks.add(new Check("generate.tokens", same ? 0.0 : Double.POSITIVE_INFINITY,
                    same ? "match" : "expected " + Arrays.toString(want) + ", got " + Arrays.toString(result.generated())));
        }
        double max = checks.stream().mapToDouble(Check::maxError).max().orElse(0);
        return new CaseResult(name, max, checks.stream().allMatch(Check::passed), checks);
    }

    /**
     * A case's images: one key of an (N, C, H, W) tensor (images of one size), or a list of keys of (C, H, W)
     * tensors, one per image in prompt order (sizes may differ).
     */
    private static List<PixelValues> pixelValues(JsonNode node, Expected values, Path casesFile, String name) {
        List<PixelValues> pixels = new ArrayList<>();
        if (node.isMissingNode() || node.isNull()) {
            return pixels;
        }
        List<String> keys = new ArrayList<>();
        if (node.isTextual()) {
            keys.add(node.asText());
        } else if (node.isArray()) {
            node.forEach(k -> keys.add(k.asText()));
        } else {
            throw new ModelLoadException(casesFile + ": case " + name + ": pixel_values must be a key or a list of keys");
        }
        for (String key : keys) {
            long[] shape = values.shape(key);
            if (node.isArray() ? shape.length != 3 : shape.length != 4) {
                throw new ModelLoadException(casesFile + ": case " + name + ": pixel_values tensor '" + key + "' has shape "
                        + Arrays.toString(shape) + ", expected " + (node.isArray() ? "(C, H, W)" : "(N, C, H, W)"));
            }
            long[] chw = Arrays.copyOfRange(shape, shape.length - 3, shape.length);
            double[] all = values.read(key);
            int size = (int) (chw[0] * chw[1] * chw[2]);
            for (int i = 0; i < all.length / size; i++) {
                float[] img = new float[size];
                for (int j = 0; j < size; j++) {
                    img[j] = (float) all[i * size + j];
                }
                pixels.add(new PixelValues(img, (int) chw[0], (int) chw[1], (int) chw[2]));
            }
        }
        return pixels;
    }

    private static CaseResult failed(String caseName, String check, String detail) {
        Check c = new Check(check, Double.POSITIVE_INFINITY, detail);
        return new CaseResult(caseName, c.maxError(), false, List.of(c));
    }

    private static Check compare(String name, float[] actual, double[] expected, Tolerance tol) {
        if (actual.length != expected.length) {
            return new Check(name, Double.POSITIVE_INFINITY,
                    "expected " + expected.length + " values, got " + actual.length);
        }
        double worst = 0;
        int at = -1;
        for (int i = 0; i < actual.length; i++) {
            double err = Math.abs(actual[i] - expected[i]) / (tol.abs + tol.rel * Math.abs(expected[i]));
            if (!(err <= worst)) { // NaN counts as worst
                worst = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
                at = i;
            }
        }
        String detail = at < 0 ? "exact" : String.format("worst at flat index %d: %.6g vs %.6g", at, actual[at], expected[at]);
        return new Check(name, worst, detail);
    }

    private static int[] intArray(JsonNode node) {
        int[] a = new int[node.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = node.get(i).asInt();
        }
        return a;
    }

    private record Tolerance(double abs, double rel) {
        static Tolerance of(JsonNode node, Path file) {
            if (!node.has("abs") || !node.has("rel")) {
                throw new ModelLoadException(file + ": tolerance needs abs and rel");
            }
            return new Tolerance(node.get("abs").asDouble(), node.get("rel").asDouble());
        }

        Tolerance times(double scale) {
            return new Tolerance(abs * scale, rel * scale);
        }
    }

    /** The F64 tensors of expected.safetensors, by key, with errors naming the file. */
    private static final class Expected {
        private final SafetensorsFile file;
        private final Path path;
        private final Map<String, double[]> cache = new LinkedHashMap<>();

        Expected(SafetensorsFile file, Path path) {
            this.file = file;
            this.path = path;
        }

        double[] read(String key) {
            if (!file.has(key)) {
                throw new ModelLoadException(path + ": tensor '" + key + "' named by cases.json is missing");
            }
            return cache.computeIfAbsent(key, file::readDoubles);
        }

        long[] shape(String key) {
            if (!file.has(key)) {
                throw new ModelLoadException(path + ": tensor '" + key + "' named by cases.json is missing");
            }
            return file.info(key).shape();
        }
    }
}
