package taskvec.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Chromium started headless with no network and a fresh profile: the rendered DOM of a local page,
 * and a screenshot of it. The browser is $CHROME_BIN, else the first of the usual names on PATH;
 * where there is none the tests that need it are skipped, except on CI (CI set), where they fail.
 */
final class HeadlessChromium {
    static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome");

    private HeadlessChromium() {}

    static String dumpDom(Path html) throws IOException, InterruptedException {
        return run(html, "--dump-dom");
    }

    static void screenshot(Path html, Path png) throws IOException, InterruptedException {
        run(html, "--screenshot=" + png.toAbsolutePath(), "--window-size=1200,6000", "--hide-scrollbars");
        if (!Files.isRegularFile(png) || Files.size(png) == 0) throw new IllegalStateException("chromium wrote no screenshot at " + png);
    }

    /** The browser to run; skips the calling test where there is none and CI is unset. */
    static Path binary() {
        Optional<Path> found = find(System.getenv());
        if (found.isPresent()) return found.get();
        String missing = "no Chromium: set CHROME_BIN, or put one of " + NAMES + " on PATH (Debian: apt-get install -y chromium)";
        if (System.getenv("CI") != null) throw new IllegalStateException(missing + "; on CI the rendering tests may not be skipped");
        Assumptions.abort(missing);
        throw new AssertionError("unreachable");
    }

    static Optional<Path> find(Map<String, String> env) {
        String chromeBin = env.get("CHROME_BIN");
        if (chromeBin != null && !chromeBin.isBlank() && Files.isExecutable(Path.of(chromeBin))) return Optional.of(Path.of(chromeBin));
        for (String name : NAMES) {
            for (String dir : env.getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                if (dir.isEmpty()) continue;
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String run(Path html, String... extra) throws IOException, InterruptedException {
        Path binary = binary();
        Path profile = Files.createTempDirectory("taskvec-chromium-");
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile.toAbsolutePath()));
        cmd.addAll(List.of(extra));
        cmd.add(html.toAbsolutePath().toUri().toString());
        Path out = Files.createTempFile("chromium-out", ".html");
        Path err = Files.createTempFile("chromium-err", ".log");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("chromium did not finish in 90 s on " + html);
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("chromium exited " + p.exitValue() + " on " + html + ": " + Files.readString(err));
        }
        return stdout;
    }
}
