package taskvec.model.tokenizer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.model.ModelLoadException;
import taskvec.model.PromptTokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Special tokens come from the folder: tokenizer_config.json's add_bos_token if set, else the post-processor. */
class HfPromptTokenizerTest {

    private static final Path FIXTURE = Path.of("src/test/resources/fixtures/llava-clip-llama/model");

    private static Path folder(Path dir, String postProcessor, String tokenizerConfig) throws IOException {
        String json = Files.readString(FIXTURE.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("tokenizer.json"), json.replace("\"post_processor\": null",
                "\"post_processor\": " + postProcessor));
        if (tokenizerConfig != null) {
            Files.writeString(dir.resolve("tokenizer_config.json"), tokenizerConfig);
        }
        return dir;
    }

    private static final String BOS_TEMPLATE = "{\"type\": \"TemplateProcessing\", \"single\": [{\"SpecialToken\": "
            + "{\"id\": \"<s>\", \"type_id\": 0}}, {\"Sequence\": {\"id\": \"A\", \"type_id\": 0}}], \"pair\": [], "
            + "\"special_tokens\": {\"<s>\": {\"id\": \"<s>\", \"ids\": [1], \"tokens\": [\"<s>\"]}}}";

    @Test
    void noPostProcessorNoBos() {
        try (HfPromptTokenizer t = HfPromptTokenizer.load(FIXTURE, 95)) {
            PromptTokenizer.Encoding e = t.encode("Q : w16 <image> A");
            assertArrayEquals(new int[] {3, 4, 16, 95, 5}, e.ids());
            assertArrayEquals(new String[] {"Q", ":", "w16", "<image>", "A"}, e.tokens());
            assertEquals("<image>", t.imagePlaceholder());
            assertEquals(16, t.tokenId("w16"));
            assertEquals(-1, t.tokenId("nope"));
            assertEquals("w16", t.tokenText(16));
            assertEquals("Q : w16 A", t.decode(new int[] {1, 3, 4, 16, 95, 5}));
        }
    }

    @Test
    void wordsOutsideTheVocabularyBecomeTheUnknownToken() {
        try (HfPromptTokenizer t = HfPromptTokenizer.load(FIXTURE, 95)) {
            assertEquals(0, t.unknownTokenId());
            assertArrayEquals(new int[] {16, 0}, t.encode("w16 Zebra").ids());
        }
    }

    @Test
    void postProcessorAddsBos(@TempDir Path dir) throws IOException {
        try (HfPromptTokenizer t = HfPromptTokenizer.load(folder(dir, BOS_TEMPLATE, null), -1)) {
            PromptTokenizer.Encoding e = t.encode("Q : w16");
            assertArrayEquals(new int[] {1, 3, 4, 16}, e.ids());
            assertEquals("<s>", e.tokens()[0]);
            assertNull(t.imagePlaceholder());
        }
    }

    @Test
    void tokenizerConfigDecidesWhenItSaysSo(@TempDir Path dir) throws IOException {
        Path off = Files.createDirectory(dir.resolve("off"));
        try (HfPromptTokenizer t = HfPromptTokenizer.load(folder(off, BOS_TEMPLATE, "{\"add_bos_token\": false}"), -1)) {
            assertArrayEquals(new int[] {3, 4}, t.encode("Q :").ids());
        }
        Path on = Files.createDirectory(dir.resolve("on"));
        try (HfPromptTokenizer t = HfPromptTokenizer.load(folder(on, "null",
                "{\"add_bos_token\": true, \"bos_token\": {\"content\": \"<s>\"}}"), -1)) {
            assertArrayEquals(new int[] {1, 3, 4}, t.encode("Q :").ids());
        }
    }

    @Test
    void longInputsAreNotTruncated() {
        try (HfPromptTokenizer t = HfPromptTokenizer.load(FIXTURE, 95)) {
            String text = "w7 ".repeat(1500);
            assertEquals(1500, t.encode(text).ids().length);
        }
    }

    @Test
    void missingTokenizerJson(@TempDir Path dir) {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> HfPromptTokenizer.load(dir, -1));
        assertTrue(e.getMessage().contains(dir.resolve("tokenizer.json").toString()), e.getMessage());
    }
}
