package taskvec.study.scoring;

import java.util.Locale;

/**
 * The paper's accuracy rule: strip both strings; a prediction is correct when both are non-empty
 * and either starts with the other. Lowercasing both first is an option (the ensembling runs use
 * it). With one generated token the prediction is usually the first piece of the label
 * ("Ath" for "Athens"), hence the two-way prefix test.
 */
public final class AnswerScorer {
    private AnswerScorer() {}

    public static boolean isCorrect(String prediction, String label, boolean lowercase) {
        String p = prediction == null ? "" : prediction.strip();
        String l = label == null ? "" : label.strip();
        if (lowercase) {
            p = p.toLowerCase(Locale.ROOT);
            l = l.toLowerCase(Locale.ROOT);
        }
        if (p.isEmpty() || l.isEmpty()) return false;
        return p.startsWith(l) || l.startsWith(p);
    }

    /** The answer part of decoded text: everything before the first newline (generation stops there). */
    public static String answerText(String decoded) {
        int nl = decoded.indexOf('\n');
        return nl < 0 ? decoded : decoded.substring(0, nl);
    }
}
