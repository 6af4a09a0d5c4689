package taskvec.study.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AnswerScorerTest {
    @Test
    void eitherStringMayBeAPrefixOfTheOther() {
        assertTrue(AnswerScorer.isCorrect("Ath", "Athens", false));       // prediction a prefix of the label
        assertTrue(AnswerScorer.isCorrect("Athens, Greece", "Athens", false)); // label a prefix of the prediction
        assertTrue(AnswerScorer.isCorrect("Athens", "Athens", false));
        assertFalse(AnswerScorer.isCorrect("Rome", "Athens", false));
        assertFalse(AnswerScorer.isCorrect("thens", "Athens", false));
    }

    @Test
    void emptyAfterStrippingIsNeverCorrect() {
        assertFalse(AnswerScorer.isCorrect("", "Athens", false));   // "" is a prefix of everything, still wrong
        assertFalse(AnswerScorer.isCorrect("  \n", "Athens", false));
        assertFalse(AnswerScorer.isCorrect("Athens", " ", false));
        assertFalse(AnswerScorer.isCorrect(null, "Athens", false));
    }

    @Test
    void whitespaceIsStrippedOnBothSides() {
        assertTrue(AnswerScorer.isCorrect(" Ath", "Athens", false));
        assertTrue(AnswerScorer.isCorrect("Athens\n", " Athens ", false));
        assertFalse(AnswerScorer.isCorrect("At hens", "Athens", false));
    }

    @Test
    void caseMattersUnlessLowercasing() {
        assertFalse(AnswerScorer.isCorrect("ath", "Athens", false));
        assertTrue(AnswerScorer.isCorrect("ath", "Athens", true));
        assertTrue(AnswerScorer.isCorrect("CALF", "calf", true));
    }

    @Test
    void answerEndsAtTheFirstNewline() {
        assertEquals("Athens", AnswerScorer.answerText("Athens\nQ:"));
        assertEquals("", AnswerScorer.answerText("\nAthens"));
        assertEquals("Ath", AnswerScorer.answerText("Ath"));
    }

    @Test
    void newlineStopTokensFollowTheVocabulary() {
        Map<String, Integer> llama = Map.of("<0x0A>", 13, "A", 319);
        assertEquals(Set.of(13), StopTokens.newline(t -> llama.getOrDefault(t, -1)));
        Map<String, Integer> qwen = Map.of("Ċ", 198, "ĊĊ", 271);
        assertEquals(Set.of(198, 271), StopTokens.newline(t -> qwen.getOrDefault(t, -1)));
        assertEquals(Set.of(), StopTokens.newline(t -> -1));
    }
}
