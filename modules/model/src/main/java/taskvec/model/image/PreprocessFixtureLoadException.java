package taskvec.model.image;

/** A preprocessing fixture folder that cannot be read: missing files, or a cases.json that makes no sense. */
public class PreprocessFixtureLoadException extends RuntimeException {

    public PreprocessFixtureLoadException(String message) {
        super(message);
    }

    public PreprocessFixtureLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
