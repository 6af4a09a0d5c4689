package taskvec.store.server;

/**
 * A database setting that cannot be used: a malformed or unreachable --db URL, or an embedded
 * data folder held by something else. Counts as bad input (the CLI prints the message, exit 2).
 */
public class DatabaseInputException extends RuntimeException {
    public DatabaseInputException(String message) {
        super(message);
    }

    public DatabaseInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
