package taskvec.workflow.context;

/** Input the workflow cannot use (a study it does not support, a run that cannot resume); the CLI exits 2. */
public class WorkflowInputException extends RuntimeException {
    public WorkflowInputException(String message) {
        super(message);
    }
}
