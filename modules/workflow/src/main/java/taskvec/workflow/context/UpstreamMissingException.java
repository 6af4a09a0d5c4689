package taskvec.workflow.context;

/**
 * An item's inputs are not there because an earlier stage's item failed or did not finish:
 * retrying cannot help, so the item fails at once (the earlier failure is the one to fix).
 */
public final class UpstreamMissingException extends IllegalStateException {
    public UpstreamMissingException(String message) {
        super(message);
    }
}
