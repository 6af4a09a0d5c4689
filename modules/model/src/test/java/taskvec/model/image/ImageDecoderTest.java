package taskvec.model.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDecoderTest {

    private static final Path FIXTURE = Path.of("src/test/resources/fixtures/preprocess");

    @TempDir
    Path tmp;

    @Test
    void grayscalePngIsCopiedToAllChannelsWithoutGammaConversion() throws IOException {
        Path file = FIXTURE.resolve("tall-gray.png");
        Raster gray = ImageIO.read(file.toFile()).getRaster();
        RgbImage rgb = ImageDecoder.decode(file);
        assertEquals(97, rgb.width());
        assertEquals(131, rgb.height());
        for (int y = 0; y < rgb.height(); y++) {
            for (int x = 0; x < rgb.width(); x++) {
                int g = gray.getSample(x, y, 0);
                assertEquals(g, rgb.sample(x, y, 0), "R at " + x + "," + y);
                assertEquals(g, rgb.sample(x, y, 1), "G at " + x + "," + y);
                assertEquals(g, rgb.sample(x, y, 2), "B at " + x + "," + y);
            }
        }
    }

    @Test
    void rgbPngKeepsItsSamples() throws IOException {
        Path file = FIXTURE.resolve("small-rgb.png");
        BufferedImage image = ImageIO.read(file.toFile());
        RgbImage rgb = ImageDecoder.decode(file);
        int argb = image.getRGB(7, 5);
        assertEquals((argb >> 16) & 0xFF, rgb.sample(7, 5, 0));
        assertEquals((argb >> 8) & 0xFF, rgb.sample(7, 5, 1));
        assertEquals(argb & 0xFF, rgb.sample(7, 5, 2));
    }

    @Test
    void alphaIsCompositedOnWhiteWithPillowRounding() throws IOException {
        BufferedImage image = new BufferedImage(4, 1, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, argb(0, 10, 20, 30));     // fully transparent: white
        image.setRGB(1, 0, argb(255, 10, 20, 30));   // opaque: unchanged
        image.setRGB(2, 0, argb(128, 0, 0, 0));      // half black over white
        image.setRGB(3, 0, argb(64, 200, 100, 50));
        Path file = tmp.resolve("alpha.png");
        ImageIO.write(image, "png", file.toFile());

        RgbImage rgb = ImageDecoder.decode(file);
        assertPixel(rgb, 0, 255, 255, 255);
        assertPixel(rgb, 1, 10, 20, 30);
        assertPixel(rgb, 2, 127, 127, 127);
        // Exact compositing: v * a/255 + 255 * (1 - a/255), rounded.
        for (int c = 0; c < 3; c++) {
            int v = new int[] {200, 100, 50}[c];
            double exact = v * 64 / 255.0 + 255 * (1 - 64 / 255.0);
            assertTrue(Math.abs(rgb.sample(3, 0, c) - exact) <= 0.5 + 1e-9, "channel " + c);
        }
    }

    @Test
    void premultipliedImagesAreCompositedLikeStraightAlpha() {
        BufferedImage straight = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        BufferedImage premultiplied = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB_PRE);
        straight.setRGB(0, 0, argb(128, 200, 40, 0));
        premultiplied.setRGB(0, 0, argb(128, 200, 40, 0));
        RgbImage a = ImageDecoder.toRgb(straight);
        RgbImage b = ImageDecoder.toRgb(premultiplied);
        for (int c = 0; c < 3; c++) {
            // Premultiplied storage loses a little precision; never more than a level.
            assertTrue(Math.abs(a.sample(0, 0, c) - b.sample(0, 0, c)) <= 1, "channel " + c);
        }
    }

    @Test
    void palettePngResolvesItsColors() throws IOException {
        byte[] r = {0, (byte) 255};
        byte[] g = {(byte) 128, 0};
        byte[] b = {(byte) 255, 64};
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, r, g, b));
        image.getRaster().setSample(0, 0, 0, 1);
        image.getRaster().setSample(1, 0, 0, 0);
        Path file = tmp.resolve("palette.png");
        ImageIO.write(image, "png", file.toFile());

        RgbImage rgb = ImageDecoder.decode(file);
        assertPixel(rgb, 0, 255, 0, 64);
        assertPixel(rgb, 1, 0, 128, 255);
    }

    @Test
    void jpegDecodesToRgb() throws IOException {
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                image.setRGB(x, y, 0x3080C0);
            }
        }
        Path file = tmp.resolve("flat.jpg");
        ImageIO.write(image, "jpeg", file.toFile());

        RgbImage rgb = ImageDecoder.decode(file);
        assertEquals(16, rgb.width());
        // JPEG is lossy, but a flat color survives within a couple of levels.
        assertTrue(Math.abs(rgb.sample(8, 8, 0) - 0x30) <= 2);
        assertTrue(Math.abs(rgb.sample(8, 8, 1) - 0x80) <= 2);
        assertTrue(Math.abs(rgb.sample(8, 8, 2) - 0xC0) <= 2);
    }

    @Test
    void missingFileIsAnInputError() {
        Path file = tmp.resolve("nowhere.png");
        ImageInputException e = assertThrows(ImageInputException.class, () -> ImageDecoder.decode(file));
        assertMessageNames(e, file, "does not exist");
    }

    @Test
    void directoryIsAnInputError() {
        ImageInputException e = assertThrows(ImageInputException.class, () -> ImageDecoder.decode(tmp));
        assertMessageNames(e, tmp, "not a regular file");
    }

    @Test
    void textFileIsNotAnImage() throws IOException {
        Path file = tmp.resolve("notes.png");
        Files.writeString(file, "this is not an image\n");
        ImageInputException e = assertThrows(ImageInputException.class, () -> ImageDecoder.decode(file));
        assertMessageNames(e, file, "not an image");
    }

    @Test
    void emptyFileIsNotAnImage() throws IOException {
        Path file = tmp.resolve("empty.jpg");
        Files.write(file, new byte[0]);
        ImageInputException e = assertThrows(ImageInputException.class, () -> ImageDecoder.decode(file));
        assertMessageNames(e, file, "not an image");
    }

    @Test
    void truncatedPngIsAnInputError() throws IOException {
        byte[] full = Files.readAllBytes(FIXTURE.resolve("wide-rgb.png"));
        Path file = tmp.resolve("truncated.png");
        Files.write(file, Arrays.copyOf(full, full.length / 2));
        ImageInputException e = assertThrows(ImageInputException.class, () -> ImageDecoder.decode(file));
        assertMessageNames(e, file, "cannot decode image");
    }

    @Test
    void corruptPngDataIsAnInputError() throws IOException {
        byte[] bytes = Files.readAllBytes(FIXTURE.resolve("wide-rgb.png"));
        // Keep the signature and IHDR chunk (first 33 bytes), scramble the compressed pixel data.
        for (int i = 60; i < bytes.length - 20; i++) {
            bytes[i] = (byte) (bytes[i] * 31 + 7);
        }
        Path file = tmp.resolve("corrupt.png");
        Files.write(file, bytes);
        ImageInputException e = assertThrows(ImageInputException.class, () -> ImageDecoder.decode(file));
        assertMessageNames(e, file, "cannot decode image");
    }

    @Test
    void processorPassesInputErrorsThrough() throws IOException {
        Path file = tmp.resolve("broken.png");
        Files.writeString(file, "\u0089PNG garbage");
        ImageProcessor processor = ImageProcessor.fromConfig(FIXTURE.resolve("clip-336.json"));
        ImageInputException e = assertThrows(ImageInputException.class, () -> processor.process(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getClass().getSimpleName().endsWith("InputException"));
    }

    private static void assertMessageNames(Exception e, Path file, String problem) {
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    private static void assertPixel(RgbImage rgb, int x, int r, int g, int b) {
        assertEquals(r, rgb.sample(x, 0, 0), "R at x=" + x);
        assertEquals(g, rgb.sample(x, 0, 1), "G at x=" + x);
        assertEquals(b, rgb.sample(x, 0, 2), "B at x=" + x);
    }

    private static int argb(int a, int r, int g, int b) {
        return (a << 24) | (r << 16) | (g << 8) | b;
    }
}
