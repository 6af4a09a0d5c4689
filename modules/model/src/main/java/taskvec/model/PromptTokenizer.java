package taskvec.model;

/** Text to ids and back, as the model folder's tokenizer does it. */
public interface PromptTokenizer {

    /** Token ids and the text of each token. */
    record Encoding(int[] ids, String[] tokens) {
    }

    /** BOS included if the folder's tokenizer adds it; truncation off. */
    Encoding encode(String text);

    /**
     * The text's own tokens, no BOS or EOS whatever the folder's tokenizer adds: for layouts whose processor places
     * those itself (Fuyu's, per segment).
     */
    Encoding encodeText(String text);

    /** Skips special tokens. */
    String decode(int[] ids);

    /** -1 if absent. */
    int tokenId(String token);

    String tokenText(int id);

    /** e.g. "&lt;image&gt;"; null for text-only models. */
    String imagePlaceholder();

    /**
     * The id text outside the vocabulary becomes (a word-level tokenizer's "&lt;unk&gt;"), or -1 when the
     * tokenizer has none or never emits it (byte-level BPE): an answer containing it can never be generated.
     */
    int unknownTokenId();
}
