package taskvec.organism.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.organism.ProjectData;
import taskvec.organism.facts.Entity;
import taskvec.organism.facts.TaskFacts;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WordTokenizerJsonTest {

    @TempDir Path dir;

    @Test
    void djlLoadsItAndSplitsPromptsIntoWordsWithNewlinesKept() throws Exception {
        TaskFacts facts = TaskFacts.read(ProjectData.tasks());
        WordVocabulary vocab = WordVocabulary.of(facts);
        Path file = dir.resolve("tokenizer.json");
        WordTokenizerJson.write(vocab, file);
        try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.builder().optTokenizerPath(file)
                .optTruncation(false).optPadding(false).build()) {
            Encoding e = tok.encode("Q:Greece\nA:Athens\n\n");
            assertEquals(List.of("<s>", "Q", ":", "Greece", "\n", "A", ":", "Athens", "\n", "\n"),
                    Arrays.asList(e.getTokens()));
            Encoding img = tok.encode("Q:<image>\nA:Canis lupus\n\nThe color of the food:");
            assertEquals(List.of("<s>", "Q", ":", "<image>", "\n", "A", ":", "Canis", "lupus", "\n", "\n",
                    "The", "color", "of", "the", "food", ":"), Arrays.asList(img.getTokens()));
            // every word of the data, the instructions and the task words is a token of its own (never <unk>)
            int unk = vocab.id(WordVocabulary.UNK);
            for (Entity en : facts.all()) {
                StringBuilder text = new StringBuilder(en.input());
                en.answers().values().forEach(a -> text.append(' ').append(a));
                long[] ids = tok.encode(text.toString(), false, false).getIds();
                assertFalse(Arrays.stream(ids).anyMatch(i -> i == unk), "unknown word in " + text);
                assertArrayEquals(WordVocabulary.words(text.toString()).stream().mapToLong(vocab::id).toArray(), ids);
            }
            for (String instruction : TaskFacts.INSTRUCTIONS.values()) {
                assertFalse(Arrays.stream(tok.encode(instruction, false, false).getIds()).anyMatch(i -> i == unk), instruction);
            }
            assertEquals("Athens", tok.decode(new long[] {vocab.id("Athens")}, true));
        }
        assertEquals(3, vocab.id(WordVocabulary.IMAGE));
        assertThrows(IllegalArgumentException.class, () -> vocab.id("Atlantis"));
    }
}
