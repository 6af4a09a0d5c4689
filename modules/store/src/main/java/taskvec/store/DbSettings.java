package taskvec.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import taskvec.store.server.DatabaseInputException;

/**
 * Where the store lives: either the embedded PostgreSQL of a taskvec home (data under
 * {@code <home>/db}), or any PostgreSQL server named by a JDBC URL.
 *
 * @param home     the taskvec home (database, caches); used by the embedded server
 * @param jdbcUrl  a {@code jdbc:postgresql://...} URL, or null for the embedded server
 * @param patience how long a process waits for a database that stopped answering before it gives up
 * @param passwordFile a file holding the password of a {@code --db} server (a container or cluster secret), or null
 */
public record DbSettings(Path home, String jdbcUrl, Duration patience, Path passwordFile) {

    /** The environment variable that names another server instead of the embedded one. */
    public static final String DB_ENV = "TASKVEC_DB";
    /** The environment variable that moves everything taskvec keeps (default ~/.taskvec). */
    public static final String HOME_ENV = "TASKVEC_HOME";
    /** Seconds to wait for a database that stopped answering (restart, stall, partition) before giving up. */
    public static final String WAIT_ENV = "TASKVEC_DB_WAIT";
    public static final Duration DEFAULT_PATIENCE = Duration.ofSeconds(120);
    /** A file with the --db server's password (a mounted secret), so the URL need not carry it. */
    public static final String PASSWORD_FILE_ENV = "TASKVEC_DB_PASSWORD_FILE";

    public DbSettings {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(patience, "patience");
        if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new DatabaseInputException("--db " + jdbcUrl + ": not a PostgreSQL JDBC URL"
                    + " (expected jdbc:postgresql://HOST:PORT/DATABASE?user=...)");
        }
    }

    /** The embedded server of the given home. */
    public static DbSettings embedded(Path home) {
        return new DbSettings(home.toAbsolutePath().normalize(), null, DEFAULT_PATIENCE, null);
    }

    /** A server given by URL (the home still holds caches). */
    public static DbSettings external(Path home, String jdbcUrl) {
        return new DbSettings(home.toAbsolutePath().normalize(), jdbcUrl, DEFAULT_PATIENCE, null);
    }

    /** From the command line's --db (may be null), else TASKVEC_DB, else the embedded server of TASKVEC_HOME. */
    public static DbSettings resolve(String dbOption) {
        return resolve(dbOption, System.getenv());
    }

    static DbSettings resolve(String dbOption, Map<String, String> env) {
        Path home = home(env);
        String url = dbOption != null && !dbOption.isBlank() ? dbOption : env.get(DB_ENV);
        DbSettings settings = url == null || url.isBlank() ? embedded(home) : external(home, url.trim());
        String passwordFile = env.get(PASSWORD_FILE_ENV);
        return new DbSettings(settings.home, settings.jdbcUrl, patience(env),
                passwordFile == null || passwordFile.isBlank() || settings.isEmbedded() ? null : Path.of(passwordFile));
    }

    /** The same store, waited for this long when it stops answering. */
    public DbSettings withPatience(Duration patience) {
        return new DbSettings(home, jdbcUrl, patience, passwordFile);
    }

    /** The --db server's password from {@link #passwordFile}, or null when the URL (or PGPASSFILE) provides it. */
    public String externalPassword() {
        if (passwordFile == null) return null;
        try {
            return java.nio.file.Files.readString(passwordFile).strip();
        } catch (java.io.IOException e) {
            throw new DatabaseInputException(PASSWORD_FILE_ENV + "=" + passwordFile + ": cannot read the password: " + e, e);
        }
    }

    static Duration patience(Map<String, String> env) {
        String seconds = env.get(WAIT_ENV);
        if (seconds == null || seconds.isBlank()) return DEFAULT_PATIENCE;
        try {
            long s = Long.parseLong(seconds.trim());
            if (s < 0) throw new NumberFormatException();
            return Duration.ofSeconds(s);
        } catch (NumberFormatException e) {
            throw new DatabaseInputException(WAIT_ENV + "=" + seconds + ": not a number of seconds");
        }
    }

    /** TASKVEC_HOME, or ~/.taskvec. */
    public static Path home(Map<String, String> env) {
        String home = env.get(HOME_ENV);
        if (home == null || home.isBlank()) return Path.of(System.getProperty("user.home"), ".taskvec");
        return Path.of(home).toAbsolutePath().normalize();
    }

    /**
     * Where the reports of this store's runs go: {@code <home>/reports}, so two homes never share
     * a report folder. Run ids count per database, so another server's runs get a folder of their own
     * under it, named by host, port and database ({@code <home>/reports/db-host_5432_taskvec}).
     */
    public Path reportsRoot() {
        Path reports = home.resolve("reports");
        if (isEmbedded()) return reports;
        String server = jdbcUrl.substring("jdbc:postgresql:".length()).replaceFirst("^//([^/@]*@)?", "").replaceFirst("\\?.*$", "");
        return reports.resolve("db-" + server.replaceAll("[^A-Za-z0-9.-]+", "_"));
    }

    public boolean isEmbedded() {
        return jdbcUrl == null;
    }

    /** The URL as safe to print: a password parameter is masked. */
    public static String redact(String url) {
        return url == null ? null : url.replaceAll("(?i)(password=)[^&]*", "$1***")
                .replaceAll("//([^/@:]+):[^/@]*@", "//$1:***@");
    }

    @Override
    public String toString() {
        return isEmbedded() ? "embedded PostgreSQL in " + home.resolve("db") : redact(jdbcUrl);
    }
}
