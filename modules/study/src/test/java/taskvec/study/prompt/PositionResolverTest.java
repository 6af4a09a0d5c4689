package taskvec.study.prompt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import taskvec.study.StudyInputException;

/** Pure position arithmetic on hand-written sequences; the fixture-tokenizer tests live in PromptEncoderTest. */
class PositionResolverTest {
    static final int IMG = 9;

    @Test
    void expansionRepeatsEachPlaceholder() {
        assertArrayEquals(new int[] {1, 9, 9, 9, 4, 9, 9, 9}, PositionResolver.expand(new int[] {1, 9, 4, 9}, IMG, 3));
        assertArrayEquals(new int[] {1, 4}, PositionResolver.expand(new int[] {1, 4}, -1, 3));
    }

    @Test
    void readPositionMovesWithImageExpansion() {
        // "<s> Q : <image> A : y Q : <image> A :" with 3 features per image
        int[] unexpandedPrefix = {1, 3, 4, IMG, 5, 4};
        int[] ids = {1, 3, 4, IMG, IMG, IMG, 5, 4, 7, 3, 4, IMG, IMG, IMG, 5, 4};
        String[] tokens = {"<s>", "Q", ":", "<image>", "<image>", "<image>", "A", ":", "y", "Q", ":", "<image>", "<image>", "<image>", "A", ":"};
        PositionResolver.Position read = PositionResolver.read("p", ids, tokens, unexpandedPrefix, IMG, 3);
        assertEquals(new PositionResolver.Position(7, ":"), read);  // 5 before expansion, +2 per earlier image
        assertEquals(new PositionResolver.Position(15, ":"), PositionResolver.write("p", tokens));
    }

    @Test
    void aTokenizerThatMergesTheDelimiterFailsLoudly() {
        // prompt tokenized as "<s> Q : x A :y" (':y' one token) but the cut prefix as "<s> Q : x A :"
        int[] ids = {1, 3, 4, 6, 5, 8};
        String[] tokens = {"<s>", "Q", ":", "x", "A", ":y"};
        StudyInputException e = assertThrows(StudyInputException.class,
                () -> PositionResolver.read("source prompt (t)", ids, tokens, new int[] {1, 3, 4, 6, 5, 4}, -1, 0));
        assertTrue(e.getMessage().startsWith("source prompt (t): the tokenizer does not split the prompt at the read delimiter"), e.getMessage());
        // 'A:' as one token: the prefix lines up but its last token is not ':'
        int[] ids2 = {1, 3, 4, 6, 10, 7};
        String[] tokens2 = {"<s>", "Q", ":", "x", "A:", "y"};
        e = assertThrows(StudyInputException.class, () -> PositionResolver.read("p", ids2, tokens2, new int[] {1, 3, 4, 6, 10}, -1, 0));
        assertEquals("p: the token at the read position 4 is 'A:', not the delimiter ':' (the tokenizer merges ':' with neighbouring text)",
                e.getMessage());
        e = assertThrows(StudyInputException.class, () -> PositionResolver.write("q", new String[] {"Q", ":", "x", "A:"}));
        assertTrue(e.getMessage().startsWith("q: the token at the write position 3 is 'A:'"), e.getMessage());
    }
}
