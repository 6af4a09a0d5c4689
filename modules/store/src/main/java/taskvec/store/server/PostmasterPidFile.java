package taskvec.store.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The {@code postmaster.pid} a PostgreSQL server writes into its data folder: line 1 the
 * postmaster's pid, line 2 the data folder, line 4 the port. It stays behind when the server is
 * killed, so its pid says nothing until checked against the running processes.
 */
public record PostmasterPidFile(Path file, long pid, Path dataDirectory, int port) {

    public static Optional<PostmasterPidFile> read(Path dataDirectory) {
        Path file = dataDirectory.resolve("postmaster.pid");
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException(file + ": cannot read: " + e.getMessage(), e);
        }
        // a server that is just starting may not have written every line yet
        if (lines.size() < 4) return Optional.of(new PostmasterPidFile(file, parsePid(file, lines), dataDirectory, -1));
        int port;
        try {
            port = Integer.parseInt(lines.get(3).trim());
        } catch (NumberFormatException e) {
            port = -1;
        }
        return Optional.of(new PostmasterPidFile(file, parsePid(file, lines), Path.of(lines.get(1).trim()), port));
    }

    private static long parsePid(Path file, List<String> lines) {
        try {
            return lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Is the pid a live PostgreSQL process (not a dead one, not an unrelated process that reused the pid)? */
    public boolean processAlive() {
        if (pid <= 0) return false;
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(p -> p.info().command().map(c -> c.endsWith("/postgres") || c.endsWith("postgres")).orElse(true))
                .orElse(false);
    }

    public void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new IllegalStateException(file + ": cannot remove the stale pid file: " + e.getMessage(), e);
        }
    }
}
