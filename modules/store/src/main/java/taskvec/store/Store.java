package taskvec.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import taskvec.store.repo.AnalysisRepository;
import taskvec.store.repo.ItemOutputRepository;
import taskvec.store.repo.MetricRepository;
import taskvec.store.repo.PredictionRepository;
import taskvec.store.repo.PromptRepository;
import taskvec.store.repo.ResultViews;
import taskvec.store.repo.RunRepository;
import taskvec.store.repo.RunTableRepository;
import taskvec.store.repo.StageRepository;
import taskvec.store.repo.VectorRepository;
import taskvec.store.repo.WorkItemRepository;
import taskvec.store.server.DatabaseInputException;
import taskvec.store.server.EmbeddedServer;
import taskvec.store.server.ServerStatus;

/**
 * The entry point to taskvec's PostgreSQL: {@link #open} connects (starting the embedded server
 * of the home if needed), migrates the schema, and hands out the repositories: every SQL
 * statement taskvec runs is in this module (the connection itself is not handed out).
 *
 * <p>Connections come from a pool (HikariCP: small, widely used, checks a connection before
 * handing it out and replaces dead ones, so a server restart costs no more than a reconnect).
 * When the server stops answering, a new connection is waited for with backoff for
 * {@link DbSettings#patience()} (an embedded server that crashed is started again meanwhile), then
 * {@link DatabaseUnavailableException} ends the wait. The embedded server asks for the password
 * kept in the home; a {@code --db} server's comes from the URL, TASKVEC_DB_PASSWORD_FILE, or
 * PGPASSFILE / ~/.pgpass (read by the driver).
 *
 * <p>Who stops the embedded server: each open store holds one "anchor" connection for its
 * lifetime. On {@link #close} the server is stopped if no other client is connected and it was
 * not kept by {@code taskvec db start} -- the last taskvec process out stops it. A process killed
 * with SIGKILL leaves the server running; the next process reuses it and, being the last out,
 * stops it.
 */
public final class Store implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Store.class);

    private final DbSettings settings;
    private final ReconnectingDataSource dataSource;
    private final String jdbcUrl;
    private final EmbeddedServer server;
    private final ServerStatus serverStatus;
    private Connection anchor;
    private final Thread shutdownHook;
    private final java.util.List<Runnable> whenStopped = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Store(DbSettings settings, ReconnectingDataSource dataSource, String jdbcUrl, EmbeddedServer server,
                  ServerStatus serverStatus, Connection anchor) {
        this.settings = settings;
        this.dataSource = dataSource;
        this.jdbcUrl = jdbcUrl;
        this.server = server;
        this.serverStatus = serverStatus;
        this.anchor = anchor;
        this.shutdownHook = new Thread(this::stopped, "taskvec-store-close");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Connects (starting the embedded server if needed) and migrates the schema. */
    public static Store open(DbSettings settings) {
        Store store = settings.isEmbedded() ? openEmbedded(settings) : openExternal(settings);
        try {
            store.migrate();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    private static Store openEmbedded(DbSettings settings) {
        EmbeddedServer server = new EmbeddedServer(settings.home());
        return server.locked(() -> {
            ServerStatus status = server.ensureRunningLocked(false);
            if (!status.note().isEmpty()) LOG.info("{}", status.note());
            String url = EmbeddedServer.jdbcUrl(status.port());
            String password = server.password();
            String name = connectionName();
            Connection anchor = connectAnchor(url, password, name);
            ReconnectingDataSource ds = pool(url, password, name, settings, server::restartIfCrashed);
            return new Store(settings, ds, url, server, status, anchor);
        });
    }

    private static Store openExternal(DbSettings settings) {
        String name = connectionName();
        String password = settings.externalPassword();
        Connection anchor = connectAnchor(settings.jdbcUrl(), password, name);
        ReconnectingDataSource ds = pool(settings.jdbcUrl(), password, name, settings, () -> { });
        return new Store(settings, ds, settings.jdbcUrl(), null, null, anchor);
    }

    private static final AtomicInteger OPENED = new AtomicInteger();

    /** Each store names its connections, so closing can tell its own lingering ones from other clients. */
    private static String connectionName() {
        return "taskvec pid " + ProcessHandle.current().pid() + " store " + OPENED.incrementAndGet();
    }

    /** Settings a URL does not give itself: a 10 s connect timeout, TCP keep-alive, the store's name. */
    private static Properties driverDefaults(String url, String password, String name) {
        Properties p = new Properties();
        if (!url.contains("connectTimeout")) p.setProperty("connectTimeout", "10");
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("ApplicationName", name);
        if (password != null) p.setProperty("password", password);
        return p;
    }

    /** The presence connection: opened first, so a URL that cannot be reached at all is bad input at once, not a wait. */
    private static Connection connectAnchor(String url, String password, String name) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        try {
            ds.setURL(url);
            driverDefaults(url, password, name).forEach((k, v) -> {
                try {
                    ds.setProperty(k.toString(), v.toString());
                } catch (SQLException e) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
            });
        } catch (IllegalArgumentException e) {
            throw new DatabaseInputException("--db " + DbSettings.redact(url) + ": " + e.getMessage(), e);
        }
        try {
            return ds.getConnection();
        } catch (SQLException e) {
            throw new DatabaseInputException("cannot connect to the database " + DbSettings.redact(url) + ": "
                    + e.getMessage(), e);
        }
    }

    private static ReconnectingDataSource pool(String url, String password, String name, DbSettings settings,
                                               Runnable beforeRetry) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(url);
        config.setDataSourceProperties(driverDefaults(url, password, name));
        if (password != null) config.setPassword(password);
        // a run uses a few connections at once (its steps, the lease heartbeat, progress); keep one ready
        config.setMaximumPoolSize(6);
        config.setMinimumIdle(1);
        // one try for a connection; ReconnectingDataSource waits out longer absences
        config.setConnectionTimeout(5_000);
        config.setValidationTimeout(3_000);
        config.setInitializationFailTimeout(-1); // the anchor already proved the server answers
        return new ReconnectingDataSource(new HikariDataSource(config), settings.patience(), beforeRetry,
                DbSettings.redact(url));
    }

    /** UNIQUE NULLS NOT DISTINCT (predictions) needs PostgreSQL 15. */
    static final int MIN_SERVER_VERSION = 150000;

    private void migrate() {
        try (Statement st = anchor.createStatement(); ResultSet rs = st.executeQuery("SHOW server_version_num")) {
            rs.next();
            int version = Integer.parseInt(rs.getString(1));
            if (version < MIN_SERVER_VERSION) {
                throw new DatabaseInputException(DbSettings.redact(jdbcUrl) + ": PostgreSQL " + version / 10000
                        + " is too old; taskvec needs PostgreSQL 15 or newer");
            }
        } catch (SQLException e) {
            throw new DatabaseInputException(DbSettings.redact(jdbcUrl) + ": cannot read the server version: "
                    + e.getMessage(), e);
        }
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new IllegalStateException("migrating " + DbSettings.redact(jdbcUrl) + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * A new connection outside the repositories, for tests that look at the tables directly.
     * taskvec's own code goes through the repositories (SourceRulesTest keeps JDBC out of the
     * workflow and the CLI).
     */
    public Connection connect() throws SQLException {
        return dataSource.getConnection();
    }

    /** The JDBC URL this store uses (the embedded server's, or the --db URL). */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    public DbSettings settings() {
        return settings;
    }

    /** One line saying where the database listens, for run summaries. */
    public String describe() {
        if (server == null) return "database " + DbSettings.redact(jdbcUrl);
        return "embedded PostgreSQL on port " + serverStatus.port() + " (data in " + server.dataDirectory()
                + "; " + serverStatus.psqlCommand() + ")";
    }

    /** The embedded server's status when this store opened; null for a --db server. */
    public ServerStatus serverStatus() {
        return serverStatus;
    }

    public RunRepository runs() {
        return new RunRepository(dataSource);
    }

    public StageRepository stages() {
        return new StageRepository(dataSource);
    }

    public WorkItemRepository workItems() {
        return new WorkItemRepository(dataSource);
    }

    public PromptRepository prompts() {
        return new PromptRepository(dataSource);
    }

    public VectorRepository vectors() {
        return new VectorRepository(dataSource);
    }

    public PredictionRepository predictions() {
        return new PredictionRepository(dataSource);
    }

    /** A run's predictions and metrics streamed for export. */
    public RunTableRepository runTables() {
        return new RunTableRepository(dataSource);
    }

    /** Runs a user's SQL (taskvec sql): read-only unless asked to write. */
    public taskvec.store.sql.SqlConsole sql() {
        return new taskvec.store.sql.SqlConsole(dataSource);
    }

    public MetricRepository metrics() {
        return new MetricRepository(dataSource);
    }

    public AnalysisRepository analyses() {
        return new AnalysisRepository(dataSource);
    }

    /** The result views the workflow reads back (best_layer, paper_main_table). */
    public ResultViews views() {
        return new ResultViews(dataSource);
    }

    /** A finished item's outputs: checked and copied for reuse. */
    public ItemOutputRepository itemOutputs() {
        return new ItemOutputRepository(dataSource);
    }

    /**
     * Runs the action when the process is stopped (SIGTERM, Ctrl-C) while this store is open,
     * before the store closes: what the process holds in the database is given back while it still can be.
     */
    public void whenStopped(Runnable action) {
        whenStopped.add(action);
    }

    private void stopped() {
        for (Runnable action : whenStopped) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.warn("while stopping: {}", e.getMessage());
            }
        }
        closeQuietly();
    }

    /** Releases the anchor connection; stops the embedded server if this was its last client and it is not kept. */
    @Override
    public synchronized void close() {
        if (anchor == null) return;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // called from the hook itself
        }
        closeQuietly();
    }

    private synchronized void closeQuietly() {
        if (anchor == null) return;
        Connection last = anchor;
        anchor = null;
        if (server == null) {
            closeConnection(last);
            dataSource.close();
            return;
        }
        try {
            server.locked(() -> {
                boolean alone = otherClients(last) == 0;
                closeConnection(last);
                dataSource.close();
                if (alone && !server.kept()) {
                    server.stopLocked();
                    LOG.info("stopped the embedded PostgreSQL (no other client)");
                }
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("closing the store: {}", e.getMessage());
        }
    }

    /**
     * Client connections other than this store's (its closed ones may linger a moment in
     * pg_stat_activity). Asked on the anchor, or on a fresh connection when a server restart broke
     * the anchor; a server that cannot be asked at all has no clients left to keep it.
     */
    private int otherClients(Connection anchor) {
        try {
            return otherClientsOn(anchor);
        } catch (SQLException brokenAnchor) {
            try (Connection fresh = dataSource.unwrap(HikariDataSource.class).getConnection()) {
                return otherClientsOn(fresh);
            } catch (SQLException e) {
                return 0;
            }
        }
    }

    private static int otherClientsOn(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity"
                     + " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
                     + " AND application_name IS DISTINCT FROM current_setting('application_name')")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void closeConnection(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing a dead connection
        }
    }
}
