package taskvec.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where the store lives: either the embedded PostgreSQL of a taskvec home (data under
 * {@code <home>/db}), or any PostgreSQL server named by a JDBC URL.
 *
 * @param home     the taskvec home (database, caches); used by the embedded server
 * @param jdbcUrl  a {@code jdbc:postgresql://...} URL, or null for the embedded server
 * @param patience how long a process waits for a database that stopped answering before it gives up
 */
public record DbSettings(Path home, String jdbcUrl, Duration patience) {

    /** The environment variable that names another server instead of the embedded one. */
    public static final String DB_ENV = "TASKVEC_DB";
    /** The environment variable that moves everything taskvec keeps (default ~/.taskvec). */
    public static final String HOME_ENV = "TASKVEC_HOME";
    /** Seconds to wait for a database that stopped answering (restart, stall, partition) before giving up. */
    public static final String WAIT_ENV = "TASKVEC_DB_WAIT";
    public static final Duration DEFAULT_PATIENCE = Duration.ofSeconds(120);

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
        return new DbSettings(home.toAbsolutePath().normalize(), null, DEFAULT_PATIENCE);
    }

    /** A server given by URL (the home still holds caches). */
    public static DbSettings external(Path home, String jdbcUrl) {
        return new DbSettings(home.toAbsolutePath().normalize(), jdbcUrl, DEFAULT_PATIENCE);
    }

    /** From the command line's --db (may be null), else TASKVEC_DB, else the embedded server of TASKVEC_HOME. */
    public static DbSettings resolve(String dbOption) {
        return resolve(dbOption, System.getenv());
    }

    static DbSettings resolve(String dbOption, Map<String, String> env) {
        Path home = home(env);
        String url = dbOption != null && !dbOption.isBlank() ? dbOption : env.get(DB_ENV);
        DbSettings settings = url == null || url.isBlank() ? embedded(home) : external(home, url.trim());
        return settings.withPatience(patience(env));
    }

    /** The same store, waited for this long when it stops answering. */
    public DbSettings withPatience(Duration patience) {
        return new DbSettings(home, jdbcUrl, patience);
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
