package taskvec.model;

/** A model folder that cannot be loaded. Unchecked; the message names the file (or folder) and the problem. */
public class ModelLoadException extends RuntimeException {
    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
