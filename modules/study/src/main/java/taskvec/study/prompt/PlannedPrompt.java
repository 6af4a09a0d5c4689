package taskvec.study.prompt;

import java.util.List;
import taskvec.study.data.Split;

/**
 * A prompt before tokenization: its text, the images of its placeholders (paths relative to the
 * dataset root, in order), the ids of its demonstrations, and where the read position lies in the
 * text. {@code readPrefix} is the text up to and including the read delimiter (null when the
 * prompt has no read position); {@code seed} is null for prompts that no seed influences
 * (instructions, zero-shot queries); {@code item} is null for instruction prompts; {@code spec} is
 * null for zero-shot queries.
 */
public record PlannedPrompt(String task, Integer seed, Split split, String item, PromptRole role,
                            Specification spec, Modality modality, String text, List<String> images,
                            List<String> demos, String readPrefix) {
    public PlannedPrompt {
        images = List.copyOf(images);
        demos = List.copyOf(demos);
        if (readPrefix != null && !text.startsWith(readPrefix)) {
            throw new IllegalArgumentException("read prefix is not a prefix of the prompt text");
        }
    }

    public boolean hasReadPosition() {
        return readPrefix != null;
    }

    /** A short name for messages: role/spec/task/split/item/seed. */
    public String describe() {
        return role.label() + " prompt (" + (spec == null ? "query" : spec.label()) + ", task " + task
                + (split != null ? ", " + split.fileName() : "") + (item != null ? ", item " + item : "")
                + (seed != null ? ", seed " + seed : "") + ")";
    }
}
