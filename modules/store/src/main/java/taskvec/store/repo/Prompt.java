package taskvec.store.repo;

import java.util.List;

/**
 * A prompt of a run: its text, the demonstrations in it, and the token positions read from
 * (source prompts) or written to (patched queries) with the token text found there.
 * {@code id} is 0 for a prompt not yet stored; positions and tokens are null where they do not apply.
 */
public record Prompt(long id, long runId, String task, int seed, String split, String itemId, String spec,
                     String modality, String text, List<String> demoIds, int tokenCount,
                     Integer readPosition, String readToken, Integer writePosition, String writeToken) {

    public Prompt {
        demoIds = List.copyOf(demoIds);
    }

    public Prompt withId(long newId) {
        return new Prompt(newId, runId, task, seed, split, itemId, spec, modality, text, demoIds, tokenCount,
                readPosition, readToken, writePosition, writeToken);
    }
}
