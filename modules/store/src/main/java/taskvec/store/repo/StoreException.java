package taskvec.store.repo;

/** A database operation failed (connection lost, constraint violated by a bug, ...). */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
