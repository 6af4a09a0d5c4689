package taskvec.store;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where the store lives: either the embedded PostgreSQL of a taskvec home (data under
 * {@code <home>/db}), or any PostgreSQL server named by a JDBC URL.
 *
 * @param home    the taskvec home (database, caches); used by the embedded server
 * @param jdbcUrl a {@code jdbc:postgresql://...} URL, or null for the embedded server
 */
public record DbSettings(Path home, String jdbcUrl) {

    /** The environment variable that names another server instead of the embedded one. */
    public static final String DB_ENV = "TASKVEC_DB";
    /** The environment variable that moves everything taskvec keeps (default ~/.taskvec). */
    public static final String HOME_ENV = "TASKVEC_HOME";

    public DbSettings {
        Objects.requireNonNull(home, "home");
        if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new DatabaseInputException("--db " + jdbcUrl + ": not a PostgreSQL JDBC URL"
                    + " (expected jdbc:postgresql://HOST:PORT/DATABASE?user=...)");
        }
    }

    /** The embedded server of the given home. */
    public static DbSettings embedded(Path home) {
        return new DbSettings(home.toAbsolutePath().normalize(), null);
    }

    /** A server given by URL (the home still holds caches). */
    public static DbSettings external(Path home, String jdbcUrl) {
        return new DbSettings(home.toAbsolutePath().normalize(), jdbcUrl);
    }

    /** From the command line's --db (may be null), else TASKVEC_DB, else the embedded server of TASKVEC_HOME. */
    public static DbSettings resolve(String dbOption) {
        return resolve(dbOption, System.getenv());
    }

    static DbSettings resolve(String dbOption, Map<String, String> env) {
        Path home = home(env);
        String url = dbOption != null && !dbOption.isBlank() ? dbOption : env.get(DB_ENV);
        return url == null || url.isBlank() ? embedded(home) : external(home, url.trim());
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
