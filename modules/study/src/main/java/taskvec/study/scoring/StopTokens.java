package taskvec.study.scoring;

import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

/**
 * The token ids that end an answer: the newline as the tokenizer spells it. SentencePiece
 * tokenizers (Llama, Mistral) use the byte token {@code <0x0A>}, byte-level BPE (GPT-2, Qwen2)
 * uses {@code Ċ}, others the literal "\n"; double newlines exist as one token in some vocabularies.
 * A tokenizer with none of these (such as the whitespace-splitting fixture) gets an empty set:
 * generation then stops only after max_new_tokens.
 */
public final class StopTokens {
    private static final String[] NEWLINE_SPELLINGS = {"\n", "\n\n", "<0x0A>", "Ċ", "ĊĊ", "▁\n"};

    private StopTokens() {}

    /** @param tokenId the tokenizer's token-to-id lookup, -1 for absent tokens */
    public static Set<Integer> newline(ToIntFunction<String> tokenId) {
        Set<Integer> ids = new TreeSet<>();
        for (String s : NEWLINE_SPELLINGS) {
            int id = tokenId.applyAsInt(s);
            if (id >= 0) ids.add(id);
        }
        return Set.copyOf(ids);
    }
}
