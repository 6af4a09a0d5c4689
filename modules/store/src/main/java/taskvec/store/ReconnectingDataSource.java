package taskvec.store;

import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * The pool's connections, waited for while the server restarts, stalls or is out of reach: a
 * connection that cannot be had is asked for again with a growing pause (0.25 s doubling to 8 s)
 * until {@code patience} has passed, then {@link DatabaseUnavailableException} says the database
 * stayed away. Before each new try {@code beforeRetry} runs (the embedded store restarts a server
 * that crashed). Statements that fail on a connection lost mid-way are the caller's to redo.
 */
final class ReconnectingDataSource implements DataSource {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(ReconnectingDataSource.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(250);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(8);

    private final HikariDataSource pool;
    private final Duration patience;
    private final Runnable beforeRetry;
    private final String described;

    ReconnectingDataSource(HikariDataSource pool, Duration patience, Runnable beforeRetry, String described) {
        this.pool = pool;
        this.patience = patience;
        this.beforeRetry = beforeRetry;
        this.described = described;
    }

    @Override
    public Connection getConnection() throws SQLException {
        long deadline = System.nanoTime() + patience.toNanos();
        Duration pause = FIRST_PAUSE;
        boolean warned = false;
        while (true) {
            try {
                Connection c = pool.getConnection();
                if (warned) LOG.warn("the database {} answers again", described);
                return c;
            } catch (SQLException e) {
                if (!DatabaseFaults.isTransient(e)) throw e;
                if (System.nanoTime() + pause.toNanos() > deadline) {
                    throw new DatabaseUnavailableException("the database " + described + " did not answer for "
                            + patience.toSeconds() + " s (" + rootMessage(e) + ")", e);
                }
                if (!warned) {
                    LOG.warn("the database {} does not answer ({}); trying again for up to {} s", described,
                            rootMessage(e), patience.toSeconds());
                    warned = true;
                }
                beforeRetry.run();
                sleep(pause);
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            }
        }
    }

    private static void sleep(Duration pause) throws SQLException {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the database", "08000", e);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    /** Closes the pool: its connections leave the server. */
    void close() {
        pool.close();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the store's connections all use the store's credentials");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) return iface.cast(this);
        return pool.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || pool.isWrapperFor(iface);
    }
}
