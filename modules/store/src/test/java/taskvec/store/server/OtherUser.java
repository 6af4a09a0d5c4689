package taskvec.store.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway OS user for access tests (needs root and useradd): runs a small Java program as
 * that user which tries what another user of the machine would -- read the password file, connect
 * to the server without it.
 */
final class OtherUser {
    record Result(int code, String output) {}

    private static final String PROBE = """
            import java.nio.file.*;
            import java.sql.*;
            public class Probe {
                public static void main(String[] a) throws Exception {
                    boolean in = false;
                    try {
                        Files.readString(Path.of(a[1]));
                        System.out.println("read: ok");
                        in = true;
                    } catch (Exception e) {
                        System.out.println("read: " + e.getClass().getSimpleName());
                    }
                    try (Connection c = DriverManager.getConnection(
                            "jdbc:postgresql://localhost:" + a[0] + "/taskvec?user=postgres&connectTimeout=5")) {
                        System.out.println("connect: ok");
                        in = true;
                    } catch (SQLException e) {
                        System.out.println("connect: " + e.getMessage());
                    }
                    System.exit(in ? 0 : 1);
                }
            }
            """;

    private final String name;

    private OtherUser(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    static String why() {
        return "running as " + System.getProperty("user.name");
    }

    /** A new user, or null when this process cannot make one (not root, no useradd). */
    static OtherUser create() throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) return null;
        String name = "tvprobe" + UUID.randomUUID().toString().substring(0, 8);
        try {
            if (run(List.of("useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name)).code() != 0) return null;
        } catch (IOException noUseradd) {
            return null;
        }
        return new OtherUser(name);
    }

    /** Runs the probe as this user against the server on {@code port}; exit 0 means it got in somewhere. */
    Result probe(int port, Path passwordFile) throws Exception {
        Path dir = Files.createTempDirectory("taskvec-probe");
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path jar = Path.of(org.postgresql.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Files.copy(jar, dir.resolve("pg.jar"), StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(dir.resolve("Probe.java"), PROBE);
            for (String f : new String[] {"pg.jar", "Probe.java"}) {
                Files.setPosixFilePermissions(dir.resolve(f), PosixFilePermissions.fromString("rw-r--r--"));
            }
            String java = ProcessHandle.current().info().command().orElse("java");
            return run(List.of("runuser", "-u", name, "--", java, "-cp", dir.resolve("pg.jar").toString(),
                    dir.resolve("Probe.java").toString(), Integer.toString(port), passwordFile.toString()));
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    void delete() throws Exception {
        run(List.of("userdel", name));
    }

    private static Result run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
