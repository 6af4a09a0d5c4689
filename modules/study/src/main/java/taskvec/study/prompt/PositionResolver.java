package taskvec.study.prompt;

import java.util.Arrays;
import taskvec.study.StudyInputException;

/**
 * Resolves read and write positions on the expanded token sequence (after each image placeholder
 * became as many image tokens as the vision tower yields features).
 *
 * <p>The read position is found by tokenizing the prompt text cut right after the read
 * delimiter: expanded the same way, that prefix must be exactly the start of the full prompt's
 * ids, and its last token must be the delimiter ':'. When a tokenizer merges ':' with the text
 * after it (or 'A:' into one token), the prefix does not line up or its last token is not ':',
 * and resolution fails with a clear error instead of silently shifting the position.
 */
public final class PositionResolver {
    private PositionResolver() {}

    /** A token index in the expanded sequence and the token's text there. */
    public record Position(int index, String token) {}

    /**
     * The read position.
     *
     * @param ids           the full prompt's ids, expanded
     * @param tokens        the full prompt's token texts, expanded
     * @param prefixIds     the ids of the text cut after the read delimiter, NOT expanded
     * @param imageTokenId  the placeholder's id (-1 for text-only models)
     * @param featureCount  positions each placeholder expands to
     */
    public static Position read(String prompt, int[] ids, String[] tokens, int[] prefixIds, int imageTokenId, int featureCount) {
        int[] expanded = expand(prefixIds, imageTokenId, featureCount);
        if (expanded.length == 0 || expanded.length > ids.length) {
            throw new StudyInputException(prompt + ": the text up to the read delimiter has " + expanded.length
                    + " tokens but the prompt has " + ids.length + ": cannot resolve the read position");
        }
        for (int i = 0; i < expanded.length; i++) {
            if (expanded[i] != ids[i]) {
                throw new StudyInputException(prompt + ": the tokenizer does not split the prompt at the read delimiter ':' "
                        + "(token " + i + " is '" + tokens[i] + "' in the prompt but a different token when the text ends at the "
                        + "delimiter): it merges ':' with the text after it, so the read position cannot be resolved");
            }
        }
        return delimiter(prompt, "read", expanded.length - 1, tokens);
    }

    /** The write position: the last token, which must be the delimiter ':'. */
    public static Position write(String prompt, String[] tokens) {
        return delimiter(prompt, "write", tokens.length - 1, tokens);
    }

    private static Position delimiter(String prompt, String which, int index, String[] tokens) {
        String token = tokens[index];
        if (!PromptFormat.DELIMITER.equals(token)) {
            throw new StudyInputException(prompt + ": the token at the " + which + " position " + index + " is '" + token
                    + "', not the delimiter ':' (the tokenizer merges ':' with neighbouring text)");
        }
        return new Position(index, token);
    }

    /** Each image placeholder id becomes featureCount copies; everything else is kept. */
    static int[] expand(int[] ids, int imageTokenId, int featureCount) {
        if (imageTokenId < 0) return ids;
        int images = 0;
        for (int id : ids) if (id == imageTokenId) images++;
        if (images == 0) return ids;
        int[] out = new int[ids.length + images * (featureCount - 1)];
        int k = 0;
        for (int id : ids) {
            if (id == imageTokenId) {
                Arrays.fill(out, k, k + featureCount, imageTokenId);
                k += featureCount;
            } else {
                out[k++] = id;
            }
        }
        return out;
    }
}
