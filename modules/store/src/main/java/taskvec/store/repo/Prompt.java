package taskvec.store.repo;

import java.util.List;

/**
 * A prompt of a run: its text, the demonstrations in it, and the token positions read from
 * (source prompts) or written to (patched queries) with the token text found there.
 * {@code id} is 0 for a prompt not yet stored; positions and tokens are null where they do not apply.
 * A zero-shot query (spec "query") also carries its item's answer and the answer's first token as the model
 * would write it after the query (decoded text): what the majority-class baseline counts. Null elsewhere.
 */
public record Prompt(long id, long runId, String task, int seed, String split, String itemId, String spec,
                     String modality, String text, List<String> demoIds, int tokenCount,
                     Integer readPosition, String readToken, Integer writePosition, String writeToken,
                     String answer, String answerToken) {

    public Prompt {
        demoIds = List.copyOf(demoIds);
    }

    public Prompt withId(long newId) {
        return new Prompt(newId, runId, task, seed, split, itemId, spec, modality, text, demoIds, tokenCount,
                readPosition, readToken, writePosition, writeToken, answer, answerToken);
    }
}
