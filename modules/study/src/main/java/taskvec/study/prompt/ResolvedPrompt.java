package taskvec.study.prompt;

/**
 * A planned prompt tokenized by one model, with its positions on the expanded sequence and the
 * token text at each (always ":"). {@code readPosition} and {@code readToken} are null when the
 * prompt has no read position. Serializable as it is (the workflow stores it).
 */
public record ResolvedPrompt(PlannedPrompt plan, int[] ids, Integer readPosition, String readToken,
                             int writePosition, String writeToken) {
    public int length() {
        return ids.length;
    }
}
