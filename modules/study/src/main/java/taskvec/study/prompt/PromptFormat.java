package taskvec.study.prompt;

/**
 * The paper's prompt text: no chat template, no spaces after colons. A demonstration is
 * {@code Q:{x}\nA:{y}\n\n}, a query {@code Q:{x}\nA:}, where x is the input text or, for an
 * image item, the model's image placeholder.
 */
public final class PromptFormat {
    public static final String DELIMITER = ":";

    private PromptFormat() {}

    public static String demonstration(String x, String y) {
        return "Q:" + x + "\nA:" + y + "\n\n";
    }

    public static String query(String x) {
        return "Q:" + x + "\nA:";
    }
}
