package taskvec.study.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import taskvec.model.layout.TokenSequence;
import taskvec.study.StudyInputException;

/** Pure position arithmetic on hand-written laid-out sequences; the fixture-tokenizer tests live in PromptEncoderTest. */
class PositionResolverTest {
    static final int IMG = 9;

    @Test
    void readPositionIsTheLastTokenOfTheLaidOutPrefix() {
        // "<s> Q : <image> A : y Q : <image> A :" with 3 image tokens per image
        TokenSequence prefix = new TokenSequence(new int[] {1, 3, 4, IMG, IMG, IMG, 5, 4},
                new String[] {"<s>", "Q", ":", "<image>", "<image>", "<image>", "A", ":"});
        TokenSequence full = new TokenSequence(new int[] {1, 3, 4, IMG, IMG, IMG, 5, 4, 7, 3, 4, IMG, IMG, IMG, 5, 4},
                new String[] {"<s>", "Q", ":", "<image>", "<image>", "<image>", "A", ":", "y", "Q", ":", "<image>", "<image>", "<image>", "A", ":"});
        assertEquals(new PositionResolver.Position(7, ":"), PositionResolver.read("p", full, prefix));
        assertEquals(new PositionResolver.Position(15, ":"), PositionResolver.write("p", full));
    }

    @Test
    void aTokenizerThatMergesTheDelimiterFailsLoudly() {
        // prompt tokenized as "<s> Q : x A :y" (':y' one token) but the cut prefix as "<s> Q : x A :"
        TokenSequence full = new TokenSequence(new int[] {1, 3, 4, 6, 5, 8}, new String[] {"<s>", "Q", ":", "x", "A", ":y"});
        TokenSequence prefix = new TokenSequence(new int[] {1, 3, 4, 6, 5, 4}, new String[] {"<s>", "Q", ":", "x", "A", ":"});
        StudyInputException e = assertThrows(StudyInputException.class, () -> PositionResolver.read("source prompt (t)", full, prefix));
        assertTrue(e.getMessage().startsWith("source prompt (t): the tokenizer does not split the prompt at the read delimiter"), e.getMessage());
        // 'A:' as one token: the prefix lines up but its last token is not ':'
        TokenSequence full2 = new TokenSequence(new int[] {1, 3, 4, 6, 10, 7}, new String[] {"<s>", "Q", ":", "x", "A:", "y"});
        TokenSequence prefix2 = new TokenSequence(new int[] {1, 3, 4, 6, 10}, new String[] {"<s>", "Q", ":", "x", "A:"});
        e = assertThrows(StudyInputException.class, () -> PositionResolver.read("p", full2, prefix2));
        assertEquals("p: the token at the read position 4 is 'A:', not the delimiter ':' (the tokenizer merges ':' with neighbouring text)",
                e.getMessage());
        TokenSequence query = new TokenSequence(new int[] {3, 4, 6, 10}, new String[] {"Q", ":", "x", "A:"});
        e = assertThrows(StudyInputException.class, () -> PositionResolver.write("q", query));
        assertTrue(e.getMessage().startsWith("q: the token at the write position 3 is 'A:'"), e.getMessage());
    }
}
