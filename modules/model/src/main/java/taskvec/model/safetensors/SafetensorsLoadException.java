package taskvec.model.safetensors;

/**
 * A safetensors file or a model folder's weight files cannot be read as given. The message names
 * the file (and the tensor, where there is one) and the problem, so it can be shown to a user as is.
 */
public class SafetensorsLoadException extends RuntimeException {
    public SafetensorsLoadException(String message) {
        super(message);
    }

    public SafetensorsLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
