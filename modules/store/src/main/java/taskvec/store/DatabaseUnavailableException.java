package taskvec.store;

import java.sql.SQLTransientConnectionException;

/** The database did not answer within the time a taskvec process waits for it (it is down, stalled or out of reach). */
public final class DatabaseUnavailableException extends SQLTransientConnectionException {
    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, "08001", cause);
    }
}
