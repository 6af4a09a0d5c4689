package taskvec.workflow.context;

import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * What produced a run, read from the running system: the project version (set once, in the pom,
 * and written into the jar by the build), the git commit of the checkout the program runs from
 * and whether its tracked files had uncommitted changes, and the deep-learning engine DJL loaded
 * (DJL's version, the engine and its native library's version, CPU or CUDA).
 */
public final class Provenance {
    private static volatile String project;
    private static volatile Optional<String> commit;
    private static volatile Boolean dirty;

    private Provenance() {}

    /** The version in the pom ("0.1.0-SNAPSHOT"); "unknown" when the classes run outside a build. */
    public static String projectVersion() {
        String v = project;
        if (v == null) {
            Properties p = new Properties();
            try (InputStream in = Provenance.class.getResourceAsStream("/taskvec/build.properties")) {
                if (in != null) p.load(in);
            } catch (IOException e) {
                // left unknown
            }
            v = p.getProperty("version", "unknown");
            if (v.startsWith("${")) v = "unknown"; // not filtered (run from an IDE's copy of the sources)
            project = v;
        }
        return v;
    }

    /** The commit of the checkout in taskvec.root (the launcher sets it), if it is a git checkout. */
    public static Optional<String> gitCommit() {
        Optional<String> c = commit;
        if (c == null) {
            c = git("rev-parse", "HEAD").filter(out -> out.matches("[0-9a-f]{40}"));
            commit = c;
        }
        return c;
    }

    /** Whether tracked files of the checkout differ from its commit (untracked files do not count). */
    public static boolean gitDirty() {
        Boolean d = dirty;
        if (d == null) {
            d = git("status", "--porcelain", "--untracked-files=no").map(out -> !out.isEmpty()).orElse(false);
            dirty = d;
        }
        return d;
    }

    /**
     * The code version in every key: the project version and the commit ("0.1.0-SNAPSHOT+3f2a...").
     * Uncommitted changes are not part of it, so a key stays the same while the commit does. The
     * property taskvec.codeVersion overrides it (tests).
     */
    public static String codeVersion() {
        String override = System.getProperty("taskvec.codeVersion");
        if (override != null) return override;
        return projectVersion() + gitCommit().map(c -> "+" + c).orElse("");
    }

    /** The code version a run records: as in keys, with "-dirty" when the checkout had uncommitted changes. */
    public static String runCodeVersion() {
        return codeVersion() + (gitDirty() ? "-dirty" : "");
    }

    /** The engine as loaded: {"djl": "0.36.0", "engine": "PyTorch", "engine_version": "2.7.1", "flavor": "cpu", "gpus": 0}. */
    public static Map<String, Object> engine() {
        Engine e = Engine.getInstance();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("djl", Engine.getDjlVersion());
        m.put("engine", e.getEngineName());
        m.put("engine_version", e.getVersion());
        m.put("flavor", e.hasCapability(StandardCapabilities.CUDA) ? "cuda" : "cpu");
        m.put("gpus", e.getGpuCount());
        return m;
    }

    /** One line for --version: "taskvec 0.1.0-SNAPSHOT (commit 3f2a..., dirty)". */
    public static String describe() {
        return "taskvec " + projectVersion() + gitCommit().map(c -> " (commit " + c + (gitDirty() ? ", uncommitted changes" : "") + ")").orElse("");
    }

    private static Optional<String> git(String... args) {
        String root = System.getProperty("taskvec.root");
        if (root == null) return Optional.empty();
        List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", Path.of(root).toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
