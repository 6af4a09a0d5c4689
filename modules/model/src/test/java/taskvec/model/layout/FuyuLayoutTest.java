package taskvec.model.layout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import taskvec.model.image.FuyuImageProcessor;
import taskvec.model.image.FuyuProcessorConfig;
import taskvec.model.tokenizer.HfPromptTokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuyu's two prompt layouts, checked against the fixture's input_ids (made by HF's FuyuProcessor for one image and
 * by Mantis' layout for two): same ids from the prompt text and the images' sizes alone.
 */
class FuyuLayoutTest {

    private static final Path FIXTURE = Path.of("src/test/resources/fixtures/fuyu-persimmon");
    private static final Path MODEL = FIXTURE.resolve("model");
    private static final int SPEAKER = 95;
    private static HfPromptTokenizer tokenizer;
    private static FuyuImageProcessor processor;

    @BeforeAll
    static void load() {
        tokenizer = HfPromptTokenizer.load(MODEL, SPEAKER);
        processor = new FuyuImageProcessor(FuyuProcessorConfig.load(MODEL.resolve("preprocessor_config.json")));
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    private static FuyuLayout hf() {
        return new FuyuLayout(tokenizer, MODEL.resolve("tokenizer.json"), processor, SPEAKER);
    }

    private static MantisFuyuLayout mantis() {
        return new MantisFuyuLayout(tokenizer, MODEL.resolve("tokenizer.json"), processor, SPEAKER);
    }

    @Test
    void oneImageAsHuggingFacesProcessorWritesIt() throws IOException {
        // the fixture's image case: the 18 x 24 image (3 x 4 patches of 6), <s>, the prompt, <0x04> (written out)
        TokenSequence s = hf().layOut("<image>Q: w54 w58 w43 A:<0x04>", List.of(new ImageSize(18, 24)));
        assertArrayEquals(caseIds("image"), s.ids());
        assertEquals("|SPEAKER|", s.tokens()[0]);
        assertEquals("|NEWLINE|", s.tokens()[4]);
        // no automatic <0x04>: a study prompt ends at its final ':'
        TokenSequence query = hf().layOut("Q:<image>\nA:", List.of(new ImageSize(18, 24)));
        assertEquals(":", query.tokens()[query.length() - 1]);
        assertEquals(15 + 1 + 4, query.length()); // 3 rows of 4 patches + |NEWLINE|, <s>, Q : A :
    }

    @Test
    void severalImagesAsMantisWritesThem() throws IOException {
        TokenSequence s = mantis().layOut("Q: w29 w27 <image> w71 <image> A: <0x04>",
                List.of(new ImageSize(18, 24), new ImageSize(12, 18)));
        assertArrayEquals(caseIds("two_images"), s.ids());
        assertEquals(List.of("<s>", "Q", ":", "w29", "w27", "image", "0", ":", "|IMAGE|", "|SPEAKER|"),
                Arrays.asList(s.tokens()).subList(0, 10));
    }

    @Test
    void mantisStudyPromptsEndAtTheirDelimiterAndPrefixesLineUp() {
        String full = "Q:<image>\nA:w9\n\nQ:<image>\nA:";
        List<ImageSize> sizes = List.of(new ImageSize(18, 24), new ImageSize(12, 18));
        TokenSequence all = mantis().layOut(full, sizes);
        assertEquals(":", all.tokens()[all.length() - 1]);
        // the read prefix (cut after the first demonstration's 'A:') lays out as the start of the full prompt
        TokenSequence prefix = mantis().layOut("Q:<image>\nA:", sizes.subList(0, 1));
        assertArrayEquals(prefix.ids(), Arrays.copyOf(all.ids(), prefix.length()));
        assertEquals(":", prefix.tokens()[prefix.length() - 1]);
        // text alone: its tokens, no <s> (MFuyuProcessor calls the tokenizer without special tokens)
        TokenSequence text = mantis().layOut("Q:w9\nA:", List.of());
        assertEquals(List.of("Q", ":", "w9", "A", ":"), Arrays.asList(text.tokens()));
    }

    @Test
    void tokenCountsFollowEachImagesSizeAndTheResizeRule() {
        // 60 x 61 pixels: 10 x 11 patches of 6 (ceil), each row one |NEWLINE|
        assertEquals(10 * 12, count(mantis().layOut("<image>", List.of(new ImageSize(60, 61))), SPEAKER, 94));
        // larger than the 1080 x 1920 target: scaled to fit first (2160 x 1000 -> 1080 x 500 -> 180 x 84 patches)
        assertEquals(180 * 85, count(mantis().layOut("<image>", List.of(new ImageSize(2160, 1000))), SPEAKER, 94));
    }

    @Test
    void badPromptsAreClearErrors() {
        IllegalArgumentException two = assertThrows(IllegalArgumentException.class, () -> hf().layOut(
                "<image><image>Q:", List.of(new ImageSize(18, 24), new ImageSize(18, 24))));
        assertTrue(two.getMessage().contains("one image per prompt") && two.getMessage().contains("Mantis"),
                two.getMessage());
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> mantis().layOut("Q:<image>", List.of()));
        assertTrue(count.getMessage().contains("1 image placeholder(s) '<image>' but 0 image(s)"), count.getMessage());
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> mantis().layOut("<image><image>", List.of(new ImageSize(18, 24), new ImageSize(5, 40))));
        assertTrue(small.getMessage().startsWith("image 2: ") && small.getMessage().contains("smaller than one 6x6"),
                small.getMessage());
    }

    private static int count(TokenSequence s, int... ids) {
        int n = 0;
        for (int id : s.ids()) {
            for (int want : ids) {
                n += id == want ? 1 : 0;
            }
        }
        return n;
    }

    static int[] caseIds(String name) throws IOException {
        for (JsonNode c : new ObjectMapper().readTree(FIXTURE.resolve("cases.json").toFile()).get("cases")) {
            if (c.get("name").asText().equals(name)) {
                List<Integer> ids = new ArrayList<>();
                c.get("input_ids").forEach(id -> ids.add(id.asInt()));
                return ids.stream().mapToInt(Integer::intValue).toArray();
            }
        }
        throw new IllegalArgumentException("no case " + name);
    }
}
