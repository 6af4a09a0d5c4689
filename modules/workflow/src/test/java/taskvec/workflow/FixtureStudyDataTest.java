package taskvec.workflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The committed data/fixture-study is exactly what FixtureStudyData generates (annotations byte for byte, images pixel for pixel). */
class FixtureStudyDataTest {
    static final Path DATA = TestStudies.ROOT.resolve("data/fixture-study");

    @Test
    void committedFilesMatchTheGenerator() throws Exception {
        for (int t = 0; t < FixtureStudyData.TASKS.length; t++) {
            int first = FixtureStudyData.FIRST;
            int val = first + FixtureStudyData.VAL;
            int test = val + FixtureStudyData.TEST;
            assertEquals(FixtureStudyData.annotations(t, first, val),
                    Files.readString(DATA.resolve("annotations/" + FixtureStudyData.TASKS[t] + "_val.json")));
            assertEquals(FixtureStudyData.annotations(t, val, test),
                    Files.readString(DATA.resolve("annotations/" + FixtureStudyData.TASKS[t] + "_test.json")));
        }
        for (int k = FixtureStudyData.FIRST; k < FixtureStudyData.FIRST + FixtureStudyData.VAL + FixtureStudyData.TEST; k++) {
            BufferedImage expected = FixtureStudyData.image(k);
            BufferedImage actual = ImageIO.read(DATA.resolve(FixtureStudyData.imagePath(k)).toFile());
            assertEquals(32, actual.getWidth());
            assertArrayEquals(expected.getRGB(0, 0, 32, 32, null, 0, 32), actual.getRGB(0, 0, 32, 32, null, 0, 32), "w" + k);
        }
    }

    @Test
    void everyWordIsInTheFixtureVocabulary() {
        // the fixture tokenizer knows w6..w94 only; an unknown word would become <unk>
        int maxOutput = FixtureStudyData.FIRST + FixtureStudyData.VAL + FixtureStudyData.TEST - 1 + FixtureStudyData.OFFSETS[1];
        assertEquals(true, maxOutput <= 94 && FixtureStudyData.FIRST >= 6, "w" + maxOutput);
    }
}
