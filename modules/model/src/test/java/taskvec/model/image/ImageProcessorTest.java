package taskvec.model.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalInt;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageProcessorTest {

    private static final Path FIXTURE = Path.of("src/test/resources/fixtures/preprocess");
    private final ImageProcessor clip = ImageProcessor.fromConfig(FIXTURE.resolve("clip-336.json"));
    private final ImageProcessor siglip = ImageProcessor.fromConfig(FIXTURE.resolve("siglip-384.json"));

    @Test
    void shortestEdgeKeepsAspectAndTruncatesTheLongSide() {
        assertArrayEquals(new int[] {336, 448}, clip.resizeOutputSize(150, 200));
        assertArrayEquals(new int[] {453, 336}, clip.resizeOutputSize(131, 97)); // 336 * 131 / 97 = 453.77
        assertArrayEquals(new int[] {336, 407}, clip.resizeOutputSize(33, 40));
        assertArrayEquals(new int[] {336, 336}, clip.resizeOutputSize(50, 50));
        assertArrayEquals(new int[] {384, 384}, siglip.resizeOutputSize(131, 97));
    }

    @Test
    void preResizeHeightIsComputedAsPythonDoes() {
        // int(224 / 5 * 45) is 2015 in floating point, one less than 224 * 45 // 5.
        RgbImage tall = new RgbImage(5, 45, new byte[5 * 45 * 3]);
        RgbImage out = ImageProcessor.preResize(tall, 224);
        assertEquals(224, out.width());
        assertEquals(2015, out.height());
    }

    @Test
    void preResizeToZeroHeightIsAnInputError() {
        RgbImage wide = new RgbImage(1000, 1, new byte[1000 * 3]);
        assertThrows(ImageInputException.class, () -> ImageProcessor.preResize(wide, 10));
    }

    @Test
    void centerCropTakesTheFlooredCenterAndPadsWithZeros() {
        byte[] rgb = new byte[5 * 4 * 3];
        for (int i = 0; i < 20; i++) {
            rgb[i * 3] = (byte) (i + 1);
        }
        RgbImage image = new RgbImage(5, 4, rgb); // values 1..20 row-major in channel 0
        RgbImage crop = image.centerCrop(2, 2);   // top = (4 - 2) // 2 = 1, left = (5 - 2) // 2 = 1
        assertArrayEquals(new int[] {7, 8, 12, 13}, new int[] {crop.sample(0, 0, 0), crop.sample(1, 0, 0),
                crop.sample(0, 1, 0), crop.sample(1, 1, 0)});

        RgbImage padded = image.centerCrop(7, 6); // top = (4 - 6) // 2 = -1, left = (5 - 7) // 2 = -1
        assertEquals(0, padded.sample(0, 0, 0));
        assertEquals(1, padded.sample(1, 1, 0));
        assertEquals(20, padded.sample(5, 4, 0));
        assertEquals(0, padded.sample(6, 5, 0));
    }

    @Test
    void pixelValuesAreRescaledAndNormalizedResizedPixels() {
        Path image = FIXTURE.resolve("wide-rgb.png");
        int[] u8 = clip.resizedUint8(image, OptionalInt.empty());
        PixelValues px = clip.process(image);
        assertArrayEquals(new long[] {3, 336, 336}, px.shape());
        double[] mean = clip.config().imageMean();
        double[] std = clip.config().imageStd();
        int plane = 336 * 336;
        for (int i = 0; i < u8.length; i += 997) {
            int c = i / plane;
            double expected = (u8[i] / 255.0 - mean[c]) / std[c];
            assertEquals(expected, px.data()[i], 1e-5, "index " + i);
        }
        assertEquals(px.data()[plane + 5 * 336 + 7], px.get(1, 5, 7));
    }

    @Test
    void siglipResizesToTheFixedSizeWithoutCropping() {
        PixelValues px = siglip.process(FIXTURE.resolve("tall-gray.png"), OptionalInt.of(224));
        assertArrayEquals(new long[] {3, 384, 384}, px.shape());
        // Gray input: all three channels hold the same values, and mean = std = 0.5 maps to [-1, 1].
        int plane = 384 * 384;
        for (int i = 0; i < plane; i += 101) {
            assertEquals(px.data()[i], px.data()[plane + i]);
            assertEquals(px.data()[i], px.data()[2 * plane + i]);
        }
    }

    @Test
    void bufferedImageAndFileGiveTheSameResult() throws IOException {
        Path file = FIXTURE.resolve("small-rgb.png");
        BufferedImage image = ImageIO.read(file.toFile());
        assertArrayEquals(clip.process(file, OptionalInt.of(224)).data(),
                clip.process(image, OptionalInt.of(224)).data());
    }
}
