package taskvec.study;

/**
 * Bad input to the study protocol: a study file, a dataset file, or a prompt whose positions
 * cannot be resolved. The message always names the file (or prompt) and the problem; the CLI
 * prints it without a stack trace because the class name ends in "InputException".
 */
public class StudyInputException extends RuntimeException {
    public StudyInputException(String message) {
        super(message);
    }

    public StudyInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
