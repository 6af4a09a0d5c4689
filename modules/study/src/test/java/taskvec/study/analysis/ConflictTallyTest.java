package taskvec.study.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

class ConflictTallyTest {

    static final BiPredicate<String, String> STARTS_EITHER = (o, l) -> {
        String a = o.strip(), b = l.strip();
        return !a.isEmpty() && !b.isEmpty() && (a.startsWith(b) || b.startsWith(a));
    };

    @Test
    void patchedWinsOverPromptedAndTheRestIsNeither() {
        List<ConflictAnswer> answers = List.of(
                new ConflictAnswer("Athens", "Euro", "Athens"),
                new ConflictAnswer("Eur", "Euro", "Athens"),
                new ConflictAnswer("Paris", "Euro", "Athens"),
                new ConflictAnswer(" Athen", "Euro", "Athens"));
        ConflictShares s = ConflictTally.shares(answers, STARTS_EITHER);
        assertEquals(4, s.n());
        assertEquals(0.5, s.patched(), 1e-12);
        assertEquals(0.25, s.prompted(), 1e-12);
        assertEquals(0.25, s.neither(), 1e-12);
    }
}
