package taskvec.model.layout;

import org.junit.jupiter.api.Test;
import taskvec.model.image.ImageInputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageSizeTest {

    private static final Path FIXTURES = Path.of("src/test/resources/fixtures/preprocess2");

    @Test
    void headerSizeIsTheImageSizeWithoutDecoding() {
        assertEquals(new ImageSize(200, 300), ImageSize.of(FIXTURES.resolve("landscape_rgb_300x200.png"), OptionalInt.empty()));
        assertEquals(new ImageSize(700, 500), ImageSize.of(FIXTURES.resolve("gray_portrait_500x700.png"), OptionalInt.empty()));
    }

    @Test
    void preResizeKeepsTheAspectRatioAndTruncatesTheHeight() {
        // the reference study code: height = int(224 / w * h)
        assertEquals(new ImageSize(313, 224), new ImageSize(700, 500).preResized(OptionalInt.of(224)));
        assertEquals(new ImageSize(149, 224), new ImageSize(200, 300).preResized(OptionalInt.of(224)));
    }

    @Test
    void aFileThatIsNotAnImageIsNamed(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("notes.png"), "not an image");
        ImageInputException e = assertThrows(ImageInputException.class, () -> ImageSize.of(text, OptionalInt.empty()));
        assertTrue(e.getMessage().startsWith(text.toString()), e.getMessage());
    }
}
