package taskvec.model.image;

/**
 * A {@code preprocessor_config.json} that cannot be loaded: unreadable, not JSON, an unknown
 * processor type, or a field with an impossible value. The message names the file and the field.
 */
public class ImageConfigLoadException extends RuntimeException {

    public ImageConfigLoadException(String message) {
        super(message);
    }

    public ImageConfigLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
