package taskvec.workflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The code version that goes into every key: the project version and, when the program runs from
 * a git checkout, its commit ("0.1.0+3f2a..."). The property taskvec.codeVersion overrides it.
 * Uncommitted changes are not seen: a key stays the same while the commit does.
 */
public final class CodeVersion {
    private static final String PROJECT = "0.1.0";
    private static volatile String cached;

    private CodeVersion() {}

    public static String current() {
        String v = cached;
        if (v == null) {
            String override = System.getProperty("taskvec.codeVersion");
            v = override != null ? override : PROJECT + gitCommit().map(c -> "+" + c).orElse("");
            cached = v;
        }
        return v;
    }

    private static java.util.Optional<String> gitCommit() {
        String root = System.getProperty("taskvec.root");
        if (root == null) return java.util.Optional.empty();
        try {
            Process p = new ProcessBuilder("git", "-C", Path.of(root).toString(), "rev-parse", "HEAD")
                    .redirectErrorStream(true).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return java.util.Optional.empty();
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 && out.matches("[0-9a-f]{40}") ? java.util.Optional.of(out) : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }
}
