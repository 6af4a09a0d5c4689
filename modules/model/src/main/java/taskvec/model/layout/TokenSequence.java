package taskvec.model.layout;

/** A prompt's final token ids, after image expansion, with the text of the token at each position. */
public record TokenSequence(int[] ids, String[] tokens) {

    public TokenSequence {
        if (ids.length != tokens.length) {
            throw new IllegalArgumentException(tokens.length + " token texts for " + ids.length + " ids");
        }
    }

    public int length() {
        return ids.length;
    }
}
