package taskvec.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import taskvec.store.Store;

/** A one-task study over data/fixture-study and the fixture model, and helpers to start the CLI in a child JVM. */
final class SmallStudy {
    static final Path ROOT = Path.of(System.getProperty("taskvec.root", "../..")).toAbsolutePath().normalize();

    private SmallStudy() {}

    static Path write(Path dir, String name, String extra) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, """
                models: {target: {dir: %s}}
                dataset: {root: %s}
                tasks: [pair-first]
                seeds: [1]
                shots: 3
                specifications:
                  text_examples: true
                  image_examples: false
                  instructions: {pair-first: "w30 w31:"}
                modality_pairs: [text->image]
                ensembling: true
                pre_resize_width: null
                """.formatted(ROOT.resolve("modules/model/src/test/resources/fixtures/llava-clip-llama/model"),
                ROOT.resolve("data/fixture-study")) + extra + "\n");
        return file;
    }

    /** A copy of data/fixture-study (annotations and images) at target, for a test to break; returns target. */
    static Path copyData(Path target) throws IOException {
        Path src = ROOT.resolve("data/fixture-study");
        for (String sub : List.of("annotations", "images")) {
            Files.createDirectories(target.resolve(sub));
            try (var files = Files.list(src.resolve(sub))) {
                for (Path f : (Iterable<Path>) files::iterator) Files.copy(f, target.resolve(sub).resolve(f.getFileName()));
            }
        }
        return target;
    }

    /** The run id a run's first output line names ("run 12 started: ..."). */
    static long runId(String out) {
        Matcher m = Pattern.compile("run (\\d+) started").matcher(out);
        if (!m.find()) throw new AssertionError("no run id in: " + out);
        return Long.parseLong(m.group(1));
    }

    /** The CLI in a child JVM with the test classpath; {@code itemDelayMs} slows each item so a test can kill it mid-stage. */
    static Process start(Path log, long itemDelayMs, String... args) throws IOException {
        return start(log, itemDelayMs, null, args);
    }

    /** As {@link #start(Path, long, String...)}, on the embedded server of another home (null: the test home). */
    static Process start(Path log, long itemDelayMs, Path home, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Dai.djl.offline=true", "-Dtaskvec.root=" + ROOT, "-Dtaskvec.itemDelayMs=" + itemDelayMs,
                "-cp", System.getProperty("java.class.path"), "taskvec.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        if (home != null) pb.environment().put("TASKVEC_HOME", home.toString());
        return pb.start();
    }

    static long scalar(Store store, String sql, Object... args) {
        try (Connection c = store.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(Store store, String sql, Object... args) {
        try (Connection c = store.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
