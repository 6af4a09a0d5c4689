package taskvec.store;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/**
 * Which database errors are worth waiting out: the server restarting, stalled or out of reach
 * (a connection refused, broken or timed out, an administrator shutdown). Everything else -- a
 * constraint violated, bad SQL -- is a real error and is never retried.
 */
public final class DatabaseFaults {
    private DatabaseFaults() {}

    /** Whether the error, or one of its causes, says the connection to the server failed rather than the statement. */
    public static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DatabaseUnavailableException) return false; // already waited out
            if (t instanceof SQLTransientConnectionException || t instanceof SQLRecoverableException) return true;
            if (t instanceof SQLException sql && sql.getSQLState() != null && transientState(sql.getSQLState())) return true;
            if (t.getCause() == t) break;
        }
        return false;
    }

    /** Class 08 (connection exception), 57P01-03 (the server shutting down, crashed, starting), 53300 (too many connections). */
    private static boolean transientState(String state) {
        return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                || state.equals("53300");
    }

    /** The database stayed away longer than this process waits for it (found anywhere in the causes), or null. */
    public static DatabaseUnavailableException unavailable(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof DatabaseUnavailableException u) return u;
        }
        return null;
    }
}
