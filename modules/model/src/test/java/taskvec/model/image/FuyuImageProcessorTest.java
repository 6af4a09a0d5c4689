package taskvec.model.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fuyu's image processor: the preprocess2 cases, the patch order, and the errors. */
class FuyuImageProcessorTest {

    private static final Path FIXTURE = Path.of("src/test/resources/fixtures/preprocess2");

    @TempDir
    Path tmp;

    @Test
    void everyFuyuCaseOfPreprocess2Passes() {
        List<PreprocessFixture.CaseResult> fuyu = PreprocessFixture.verify(FIXTURE).stream()
                .filter(r -> r.name().startsWith("fuyu/")).toList();
        fuyu.forEach(r -> System.out.println("  " + r.summary()));
        // five images: resized size, 8-bit pixels, grid, selected patches; the tiny one also all its patches
        assertEquals(5 * 4 + 1, fuyu.size());
        for (PreprocessFixture.CaseResult r : fuyu) {
            assertTrue(r.passed(), r.summary());
            if (r.compare() == PreprocessFixture.Compare.RESIZED_UINT8) {
                assertTrue(r.maxAbsError() <= 1 && r.exactFraction() >= 0.99, r.summary());
            } else if (r.compare() == PreprocessFixture.Compare.IMAGE_PATCHES && !r.name().startsWith("fuyu/big")) {
                assertTrue(r.maxAbsError() <= 1e-6, r.summary()); // nothing resized: floats match
            }
        }
        assertTrue(fuyu.stream().anyMatch(r -> r.name().equals("fuyu/big_rgb_2000x1150/resized_size")));
    }

    @Test
    void resizesOnlyWhatIsLargerThanTheTargetKeepingTheAspect() {
        FuyuImageProcessor p = processor();
        assertArrayEquals(new int[] {200, 300}, p.resizedSize(200, 300));
        assertArrayEquals(new int[] {1080, 1878}, p.resizedSize(1150, 2000)); // int(h * scale), int(w * scale)
        assertEquals(new FuyuImageProcessor.PatchGrid(36, 63), p.grid(1150, 2000));
        assertEquals(36 * 64, p.grid(1150, 2000).promptTokens());
    }

    @Test
    void patchesAreRowMajorAndChannelLastWithThePadValueBeyondTheImage() {
        FuyuImageProcessor p = processor();
        // 31 x 61 gives a 2 x 3 grid; pixel (x, y) has channels (x, y, 7)
        byte[] rgb = new byte[31 * 61 * 3];
        for (int y = 0; y < 31; y++) {
            for (int x = 0; x < 61; x++) {
                rgb[(y * 61 + x) * 3] = (byte) x;
                rgb[(y * 61 + x) * 3 + 1] = (byte) y;
                rgb[(y * 61 + x) * 3 + 2] = 7;
            }
        }
        PixelValues px = p.patchGridPixels(ChannelImage.of(new RgbImage(61, 31, rgb)));
        assertArrayEquals(new long[] {3, 60, 90}, px.shape());
        float[] patches = FuyuImageProcessor.patches(px, 30, 30);
        int width = 30 * 30 * 3;
        assertEquals(6 * width, patches.length);
        // patch 1 (row 0, col 1), its pixel (py 2, px 5) = image (35, 2), channel 0 = x
        assertEquals(normalized(35), patches[width + (2 * 30 + 5) * 3], 1e-7);
        assertEquals(normalized(2), patches[width + (2 * 30 + 5) * 3 + 1], 1e-7);
        // patch 5 (row 1, col 2), pixel (py 0, px 0) = image (60, 30): inside; (py 1, px 0) = (60, 31): padding
        assertEquals(normalized(60), patches[5 * width], 1e-7);
        assertEquals(normalized(1.0), patches[5 * width + 30 * 3], 1e-7); // pad value 1.0 before rescaling
        assertEquals(-0.99215686f, patches[5 * width + 30 * 3], 1e-7);
    }

    @Test
    void anImageSmallerThanOnePatchIsAnErrorNamingTheFile() throws IOException {
        Path small = tmp.resolve("small.png");
        ImageIO.write(new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB), "png", small.toFile());
        ImageInputException e = assertThrows(ImageInputException.class,
                () -> processor().preprocess(small, OptionalInt.empty()));
        assertTrue(e.getMessage().startsWith(small.toString()) && e.getMessage().contains("smaller than one 30x30 patch"),
                e.getMessage());
        // a pre-resize that shrinks it below a patch is caught the same way
        Path wide = tmp.resolve("wide.png");
        ImageIO.write(new BufferedImage(400, 100, BufferedImage.TYPE_INT_RGB), "png", wide.toFile());
        e = assertThrows(ImageInputException.class, () -> processor().preprocess(wide, OptionalInt.of(100)));
        assertTrue(e.getMessage().startsWith(wide.toString()) && e.getMessage().contains("100x25"), e.getMessage());
    }

    @Test
    void theModelPathConvertsToRgb() {
        List<PixelValues> px = processor().preprocess(FIXTURE.resolve("gray_portrait_500x700.png"), OptionalInt.empty());
        assertEquals(1, px.size());
        assertArrayEquals(new long[] {3, 720, 510}, px.get(0).shape());
    }

    @Test
    void aTargetThatIsNotAWholeNumberOfPatchesIsAConfigError() throws IOException {
        Path config = tmp.resolve("preprocessor_config.json");
        Files.writeString(config, Files.readString(FIXTURE.resolve("fuyu.json")).replace("1080", "1000"));
        ImageConfigLoadException e = assertThrows(ImageConfigLoadException.class, () -> FuyuProcessorConfig.load(config));
        assertTrue(e.getMessage().startsWith(config + ": size: 1000x1920"), e.getMessage());
    }

    private static float normalized(double v) {
        return ((float) (v / 255.0) - 0.5f) / 0.5f;
    }

    private static FuyuImageProcessor processor() {
        return new FuyuImageProcessor(FuyuProcessorConfig.load(FIXTURE.resolve("fuyu.json")));
    }
}
