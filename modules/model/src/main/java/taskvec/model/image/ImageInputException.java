package taskvec.model.image;

/** An image that cannot be used as model input: missing, unreadable, or not a decodable image. */
public class ImageInputException extends RuntimeException {

    public ImageInputException(String message) {
        super(message);
    }

    public ImageInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
