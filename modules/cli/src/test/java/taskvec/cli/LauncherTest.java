package taskvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ./taskvec launcher, with stand-ins for mvn and java on PATH: a rebuild while a taskvec
 * process runs goes into a new snapshot and leaves the running one's jars as they were.
 */
class LauncherTest {

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/usr/bin/env bash\n" + body);
        file.toFile().setExecutable(true);
    }

    private static ProcessBuilder launcher(Path root, Path bin, Path home, String sleep) {
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("taskvec").toString());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("TASKVEC_HOME", home.toString());
        pb.environment().put("FAKE_SLEEP", sleep);
        return pb.redirectErrorStream(true);
    }

    private static String finish(Process p) throws Exception {
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "launcher finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void aRebuildNeverTouchesTheJarsOfARunningProcess(@TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("checkout"));
        Files.copy(SmallStudy.ROOT.resolve("taskvec"), root.resolve("taskvec"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        Path source = Files.createDirectories(root.resolve("modules/cli/src/main/java")).resolve("A.java");
        Files.writeString(source, "class A {}");
        Files.createDirectories(root.resolve("db"));
        Files.createDirectories(root.resolve("workflows"));
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        // mvn: a "jar" that says which build made it
        script(bin.resolve("mvn"), "n=$(( $(cat " + tmp.resolve("builds") + " 2>/dev/null || echo 0) + 1 )); echo $n > " + tmp.resolve("builds") + "\n"
                + "mkdir -p modules/cli/target/lib && echo \"build $n\" > modules/cli/target/taskvec-cli.jar && echo dep > modules/cli/target/lib/dep.jar\n");
        // java: reads its jar when it starts and again when it ends
        script(bin.resolve("java"), "while [ $# -gt 0 ]; do [ \"$1\" = -cp ] && CP=\"$2\"; shift; done\nJAR=\"${CP%%:*}\"\n"
                + "echo \"start $JAR $(cat \"$JAR\")\"\nsleep \"$FAKE_SLEEP\"\necho \"end $(cat \"$JAR\")\"\n");

        Process first = launcher(root, bin, tmp, "4").start();
        // wait until the first process runs (the snapshot exists), then change a source
        Path current = root.resolve(".build/current");
        for (int i = 0; i < 200 && !Files.exists(current.resolve("taskvec-cli.jar")); i++) Thread.sleep(50);
        Thread.sleep(1100); // past the build's stamp, also on file systems with one-second times
        Files.writeString(source, "class A { int changed; }");

        String second = finish(launcher(root, bin, tmp, "0").start());
        assertTrue(second.contains("taskvec: building"), second);
        assertTrue(second.contains("build 2"), second);
        String firstOut = finish(first);
        List<String> lines = firstOut.lines().filter(l -> l.startsWith("start") || l.startsWith("end")).toList();
        assertTrue(lines.get(0).endsWith("build 1"), firstOut);
        assertEquals("end build 1", lines.get(1), "the running process's jar was left as it was: " + firstOut);
        String firstJar = lines.get(0).split(" ")[1];
        String secondJar = second.lines().filter(l -> l.startsWith("start")).findFirst().orElseThrow().split(" ")[1];
        assertNotEquals(Path.of(firstJar).getParent(), Path.of(secondJar).getParent(), "a new snapshot");

        // nothing changed since: no third build
        String third = finish(launcher(root, bin, tmp, "0").start());
        assertTrue(!third.contains("taskvec: building") && third.contains("build 2"), third);
    }
}
