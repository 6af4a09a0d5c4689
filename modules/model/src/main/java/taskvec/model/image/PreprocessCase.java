package taskvec.model.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Arrays;
import taskvec.model.image.PreprocessFixture.CaseResult;
import taskvec.model.image.PreprocessFixture.Compare;
import taskvec.model.image.PreprocessFixture.Outcome;
import taskvec.model.image.PreprocessFixture.Tolerance;
import taskvec.model.safetensors.SafetensorsFile;
import taskvec.model.safetensors.TensorInfo;

/**
 * One entry of a preprocessing fixture's cases.json as a handler sees it: its fields (errors name
 * the file and the case), the folder's files, and the comparisons against {@code expected.safetensors}
 * within the fixture's tolerance.
 */
final class PreprocessCase {

    private final Path dir;
    private final Path casesFile;
    private final int index;
    private final JsonNode node;
    private final SafetensorsFile expected;
    private final Path expectedFile;
    private final Tolerance tolerance;

    PreprocessCase(Path dir, Path casesFile, int index, JsonNode node, SafetensorsFile expected, Path expectedFile,
                   Tolerance tolerance) {
        this.dir = dir;
        this.casesFile = casesFile;
        this.index = index;
        this.node = node;
        this.expected = expected;
        this.expectedFile = expectedFile;
        this.tolerance = tolerance;
    }

    JsonNode node() {
        return node;
    }

    Tolerance tolerance() {
        return tolerance;
    }

    /** The case's {@code name}, else its index. */
    String name() {
        JsonNode n = node.get("name");
        return n != null && n.isTextual() ? n.asText() : "cases[" + index + "]";
    }

    /** A file of the fixture folder. */
    Path file(String name) {
        return dir.resolve(name);
    }

    /** A required non-empty string field. */
    String text(String field) {
        JsonNode v = node.path(field);
        if (!v.isTextual() || v.asText().isEmpty()) {
            throw error(field, "expected a non-empty string, got " + (v.isMissingNode() ? "nothing" : v.toString()));
        }
        return v.asText();
    }

    PreprocessFixtureLoadException error(String field, String problem) {
        return new PreprocessFixtureLoadException(casesFile + ": cases[" + index + "]." + field + ": " + problem);
    }

    /** An 8-bit image against an expected tensor: at most maxAbsLevels off, at least exactFraction exact. */
    CaseResult compareUint8(String name, String key, int[] got, long[] shape) {
        double[] want = read(key);
        TensorInfo info = expected.info(key);
        if (!Arrays.equals(shape, info.shape())) {
            return CaseResult.failed(name, Compare.RESIZED_UINT8, shapeDetail(shape, info.shape()));
        }
        double[] g = Arrays.stream(got).asDoubleStream().toArray();
        return judge(name, Compare.RESIZED_UINT8, g, want, tolerance.maxAbsLevels(), tolerance.exactFraction());
    }

    /** Float values against an expected tensor, at most maxAbs off anywhere. */
    CaseResult compareFloats(String name, Compare compare, String key, float[] got, long[] shape, double maxAbs) {
        double[] want = read(key);
        TensorInfo info = expected.info(key);
        if (!Arrays.equals(shape, info.shape())) {
            return CaseResult.failed(name, compare, shapeDetail(shape, info.shape()));
        }
        double[] g = new double[got.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = got[i];
        }
        return judge(name, compare, g, want, maxAbs, 0);
    }

    /** Integer values (a mask) that must match exactly. */
    CaseResult compareExact(String name, Compare compare, String key, int[] got, long[] shape) {
        double[] want = read(key);
        TensorInfo info = expected.info(key);
        if (!Arrays.equals(shape, info.shape())) {
            return CaseResult.failed(name, compare, shapeDetail(shape, info.shape()));
        }
        return judge(name, compare, Arrays.stream(got).asDoubleStream().toArray(), want, 0, 1);
    }

    /** A size or count the case states, against what the processor made. */
    CaseResult compareShape(String name, long[] got, long[] want) {
        boolean same = Arrays.equals(got, want);
        return new CaseResult(name, Compare.SHAPE, same ? 0 : Double.NaN, same ? 1 : 0, same ? Outcome.PASS : Outcome.FAIL,
                same ? "" : shapeDetail(got, want));
    }

    private static String shapeDetail(long[] got, long[] want) {
        return "shape " + Arrays.toString(got) + ", expected " + Arrays.toString(want);
    }

    private double[] read(String key) {
        if (!expected.has(key)) {
            throw new PreprocessFixtureLoadException(expectedFile + ": no tensor '" + key + "' for case " + name());
        }
        TensorInfo info = expected.info(key);
        return info.dtype().isFloatingPoint() ? expected.readDoubles(key)
                : Arrays.stream(expected.readInts(key)).asDoubleStream().toArray();
    }

    private static CaseResult judge(String name, Compare compare, double[] got, double[] want, double maxAbsLimit,
                                    double exactLimit) {
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
        boolean passed = maxAbs <= maxAbsLimit && exactFraction >= exactLimit;
        String detail = passed ? "" : exactLimit > 0 && exactLimit < 1
                ? "limits: max_abs " + maxAbsLimit + ", exact >= " + exactLimit
                : "limit: max_abs " + maxAbsLimit;
        return new CaseResult(name, compare, maxAbs, exactFraction, passed ? Outcome.PASS : Outcome.FAIL, detail);
    }
}
