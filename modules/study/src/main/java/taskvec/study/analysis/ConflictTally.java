package taskvec.study.analysis;

import java.util.List;
import java.util.function.BiPredicate;

/**
 * Task conflict: a query whose context carries one task is patched with another task's vector
 * (same domain, so both labels exist for the item). An answer follows the patched task when it
 * matches that task's label, else the prompted task when it matches that one, else neither;
 * matching is the study's accuracy rule.
 */
public final class ConflictTally {
    private ConflictTally() {}

    public static ConflictOutcome classify(ConflictAnswer a, BiPredicate<String, String> matches) {
        if (matches.test(a.output(), a.patchedLabel())) return ConflictOutcome.PATCHED;
        if (matches.test(a.output(), a.promptedLabel())) return ConflictOutcome.PROMPTED;
        return ConflictOutcome.NEITHER;
    }

    public static ConflictShares shares(List<ConflictAnswer> answers, BiPredicate<String, String> matches) {
        if (answers.isEmpty()) throw new IllegalArgumentException("task conflict needs at least one answer");
        int[] counts = new int[ConflictOutcome.values().length];
        for (ConflictAnswer a : answers) counts[classify(a, matches).ordinal()]++;
        double n = answers.size();
        return new ConflictShares(answers.size(), counts[0] / n, counts[1] / n, counts[2] / n);
    }
}
