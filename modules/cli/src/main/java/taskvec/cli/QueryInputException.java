package taskvec.cli;

/** SQL that PostgreSQL refused, or a query file that cannot be read: bad input (exit 2). */
final class QueryInputException extends RuntimeException {
    QueryInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
