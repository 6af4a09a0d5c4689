package taskvec.study.prompt;

import taskvec.model.layout.TokenSequence;
import taskvec.study.StudyInputException;

/**
 * Resolves read and write positions on the laid-out token sequence (after the model's layout replaced each image
 * placeholder with that family's image tokens).
 *
 * <p>The read position is found by laying out the prompt text cut right after the read delimiter (with the
 * images it contains): that prefix must be exactly the start of the full prompt's ids, and its last token must be
 * the delimiter ':'. When a tokenizer merges ':' with the text after it (or 'A:' into one token), the prefix does
 * not line up or its last token is not ':', and resolution fails with a clear error instead of silently shifting
 * the position.
 */
public final class PositionResolver {
    private PositionResolver() {}

    /** A token index in the laid-out sequence and the token's text there. */
    public record Position(int index, String token) {}

    /**
     * The read position.
     *
     * @param full   the whole prompt, laid out
     * @param prefix the text cut after the read delimiter, laid out the same way
     */
    public static Position read(String prompt, TokenSequence full, TokenSequence prefix) {
        int[] ids = full.ids();
        int[] head = prefix.ids();
        if (head.length == 0 || head.length > ids.length) {
            throw new StudyInputException(prompt + ": the text up to the read delimiter has " + head.length
                    + " tokens but the prompt has " + ids.length + ": cannot resolve the read position");
        }
        for (int i = 0; i < head.length; i++) {
            if (head[i] != ids[i]) {
                throw new StudyInputException(prompt + ": the tokenizer does not split the prompt at the read delimiter ':' "
                        + "(token " + i + " is '" + full.tokens()[i] + "' in the prompt but a different token when the text ends at the "
                        + "delimiter): it merges ':' with the text after it, so the read position cannot be resolved");
            }
        }
        return delimiter(prompt, "read", head.length - 1, full.tokens());
    }

    /** The write position: the last token, which must be the delimiter ':'. */
    public static Position write(String prompt, TokenSequence full) {
        return delimiter(prompt, "write", full.length() - 1, full.tokens());
    }

    private static Position delimiter(String prompt, String which, int index, String[] tokens) {
        String token = tokens[index];
        if (!PromptFormat.DELIMITER.equals(token)) {
            throw new StudyInputException(prompt + ": the token at the " + which + " position " + index + " is '" + token
                    + "', not the delimiter ':' (the tokenizer merges ':' with neighbouring text)");
        }
        return new Position(index, token);
    }
}
