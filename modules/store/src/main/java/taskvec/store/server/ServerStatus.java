package taskvec.store.server;

import java.nio.file.Path;

/**
 * What {@code taskvec db status} reports about the embedded server of a home.
 *
 * @param running       a live server of this data folder answers on {@code port}
 * @param port          the port it listens on (running), or the remembered port (-1 if none yet)
 * @param pid           the postmaster's pid, -1 when not running
 * @param dataDirectory the PostgreSQL data folder
 * @param kept          started by {@code taskvec db start}: stays up until {@code taskvec db stop}
 * @param clients       client connections other than the one asking (0 when not running)
 * @param note          what was found and handled (a stale pid file removed, ...), or empty
 * @param listen        the address other hosts reach it by ({@code db start --listen}), or empty for loopback only
 */
public record ServerStatus(boolean running, int port, long pid, Path dataDirectory, boolean kept,
                           int clients, String note, String listen) {

    public String jdbcUrl() {
        return EmbeddedServer.jdbcUrl(port);
    }

    /** The URL other hosts use (the --listen address), or the loopback one. */
    public String remoteJdbcUrl() {
        return EmbeddedServer.jdbcUrl(listen.isEmpty() ? "localhost" : listen, port);
    }

    /** The file with the superuser's password, beside the data folder. */
    public Path passwordFile() {
        return dataDirectory.resolveSibling("password");
    }

    public String psqlCommand() {
        return EmbeddedServer.psqlCommand(port, passwordFile());
    }
}
