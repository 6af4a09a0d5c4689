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

class Idefics2ImageProcessorTest {

    private static final Path FIXTURE = Path.of("src/test/resources/fixtures/preprocess2");
    private final Idefics2ImageProcessor split = Idefics2ImageProcessor.fromConfig(FIXTURE.resolve("idefics2-split.json"));
    private final Idefics2ImageProcessor whole = Idefics2ImageProcessor.fromConfig(FIXTURE.resolve("idefics2-nosplit.json"));

    @TempDir
    Path tmp;

    @Test
    void longSidesShrinkToTheLongestEdgeAndShortSidesGrowOnTheirOwn() {
        assertArrayEquals(new int[] {563, 980}, whole.resizeOutputSize(1150, 2000)); // 980 / (2000 / 1150) = 563.5
        assertArrayEquals(new int[] {980, 408}, whole.resizeOutputSize(2400, 1000)); // portrait: 980 * (1000 / 2400)
        assertArrayEquals(new int[] {378, 600}, whole.resizeOutputSize(250, 600));   // aspect not kept for short sides
        assertArrayEquals(new int[] {378, 378}, whole.resizeOutputSize(45, 70));
        assertArrayEquals(new int[] {700, 500}, whole.resizeOutputSize(700, 500));
    }

    @Test
    void splittingGivesTheFourQuartersThenTheWholeImage() {
        // 5x3 image whose red channel holds the pixel index: quarters split at h // 2 = 1, w // 2 = 2
        byte[] rgb = new byte[5 * 3 * 3];
        for (int i = 0; i < 15; i++) {
            rgb[i * 3] = (byte) i;
        }
        List<RgbImage> crops = Idefics2ImageProcessor.split(new RgbImage(5, 3, rgb));
        assertEquals(5, crops.size());
        int[][] sizes = {{2, 1}, {3, 1}, {2, 2}, {3, 2}, {5, 3}};
        int[] firstPixel = {0, 2, 5, 7, 0};
        for (int k = 0; k < 5; k++) {
            assertEquals(sizes[k][0], crops.get(k).width(), "crop " + k);
            assertEquals(sizes[k][1], crops.get(k).height(), "crop " + k);
            assertEquals(firstPixel[k], crops.get(k).sample(0, 0, 0), "crop " + k);
        }
        assertEquals(14, crops.get(3).sample(2, 1, 0));
    }

    @Test
    void processingGivesOneCropPerImageOrFiveWithSplitting() {
        Path image = FIXTURE.resolve("landscape_rgb_300x200.png");
        assertEquals(1, whole.preprocess(image, OptionalInt.empty()).size());
        List<PixelValues> crops = split.preprocess(image, OptionalInt.empty());
        assertEquals(5, crops.size());
        assertEquals(5, split.config().cropsPerImage());
        // pre-resize to 30 wide keeps the aspect (20 high), then every crop grows to 378 x 378
        assertEquals(378, split.preprocess(image, OptionalInt.of(30)).get(0).width());
    }

    @Test
    void anImageWithoutOneWholePatchIsAnErrorNamingTheFile() throws IOException {
        Path config = tmp.resolve("preprocessor_config.json");
        Files.writeString(config, "{\"image_processor_type\": \"Idefics2ImageProcessor\", \"do_resize\": false}");
        Path small = tmp.resolve("small.png");
        ImageIO.write(new BufferedImage(20, 6, BufferedImage.TYPE_INT_RGB), "png", small.toFile());
        Idefics2ImageProcessor processor = Idefics2ImageProcessor.forModel(Idefics2ProcessorConfig.load(config), 14);
        ImageInputException e = assertThrows(ImageInputException.class, () -> processor.preprocess(small, OptionalInt.empty()));
        assertTrue(e.getMessage().startsWith(small + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("20x6") && e.getMessage().contains("no whole 14x14 patch"), e.getMessage());
    }

    @Test
    void paddingMarksTheRealPixels() {
        PixelValues a = new PixelValues(new float[] {1, 1, 1, 1, 1, 1}, 3, 1, 2);
        PixelValues b = new PixelValues(new float[] {2, 2, 2, 2, 2, 2}, 3, 2, 1);
        Idefics2ImageProcessor.PaddedBatch batch = Idefics2ImageProcessor.pad(List.of(a, b));
        assertEquals(2, batch.height());
        assertEquals(2, batch.width());
        assertArrayEquals(new int[] {1, 1, 0, 0, 1, 0, 1, 0}, batch.mask());
        assertEquals(0f, batch.values()[2]);
        assertEquals(2f, batch.values()[12 + 2]);
    }

    @Test
    void configErrorsNameTheFileAndTheField() throws IOException {
        String[][] cases = {
                {"{\"image_processor_type\": \"CLIPImageProcessor\"}", "image_processor_type: 'CLIPImageProcessor' is not Idefics2ImageProcessor"},
                {"{\"image_processor_type\": \"Idefics2ImageProcessor\", \"size\": {\"height\": 3, \"width\": 3}}", "size: unsupported key 'height'"},
                {"{\"image_processor_type\": \"Idefics2ImageProcessor\", \"size\": {\"shortest_edge\": 3}}", "size: needs both shortest_edge and longest_edge"},
                {"{\"image_processor_type\": \"Idefics2ImageProcessor\", \"do_image_splitting\": 1}", "do_image_splitting: expected true or false"},
        };
        for (String[] c : cases) {
            Path file = tmp.resolve("preprocessor_config.json");
            Files.writeString(file, c[0]);
            ImageConfigLoadException e = assertThrows(ImageConfigLoadException.class, () -> Idefics2ProcessorConfig.load(file));
            assertTrue(e.getMessage().startsWith(file + ": ") && e.getMessage().contains(c[1]), e.getMessage());
        }
    }
}
