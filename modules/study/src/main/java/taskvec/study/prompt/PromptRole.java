package taskvec.study.prompt;

/**
 * What a prompt is for. SOURCE: run on the source model to capture a task vector at its read
 * position (N demonstrations + a query, or an instruction). QUERY: a zero-shot query of the
 * target modality (the no-context condition and the patched runs). CONTEXT: N source-modality
 * demonstrations + a target-modality query in one context (the paper's xBase).
 */
public enum PromptRole {
    SOURCE, QUERY, CONTEXT;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
