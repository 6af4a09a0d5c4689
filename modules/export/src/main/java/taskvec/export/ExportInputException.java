package taskvec.export;

/** An export that cannot be written as asked (no such run, a folder holding other files): bad input, exit 2. */
public final class ExportInputException extends RuntimeException {
    public ExportInputException(String message) {
        super(message);
    }
}
