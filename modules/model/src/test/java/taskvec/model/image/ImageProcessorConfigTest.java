package taskvec.model.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageProcessorConfigTest {

    private static final Path FIXTURE = Path.of("src/test/resources/fixtures/preprocess");

    @TempDir
    Path tmp;

    @Test
    void readsClipConfig() {
        ImageProcessorConfig c = ImageProcessorConfig.load(FIXTURE.resolve("clip-336.json"));
        assertEquals(ImageProcessorConfig.ProcessorType.CLIP, c.type());
        assertEquals(new ImageProcessorConfig.ShortestEdge(336), c.size());
        assertEquals(ResampleFilter.BICUBIC, c.resample());
        assertTrue(c.doCenterCrop());
        assertEquals(336, c.cropHeight());
        assertEquals(336, c.cropWidth());
        assertEquals(0.00392156862745098, c.rescaleFactor());
        assertArrayEquals(new double[] {0.48145466, 0.4578275, 0.40821073}, c.imageMean());
        assertArrayEquals(new double[] {0.26862954, 0.26130258, 0.27577711}, c.imageStd());
    }

    @Test
    void readsSiglipConfigWithoutCrop() {
        ImageProcessorConfig c = ImageProcessorConfig.load(FIXTURE.resolve("siglip-384.json"));
        assertEquals(ImageProcessorConfig.ProcessorType.SIGLIP, c.type());
        assertEquals(new ImageProcessorConfig.FixedSize(384, 384), c.size());
        assertFalse(c.doCenterCrop());
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, c.imageMean());
    }

    @Test
    void fillsHuggingFaceDefaults() throws IOException {
        ImageProcessorConfig c = ImageProcessorConfig.load(write("{\"image_processor_type\": \"CLIPImageProcessor\"}"));
        assertEquals(new ImageProcessorConfig.ShortestEdge(224), c.size());
        assertEquals(ResampleFilter.BICUBIC, c.resample());
        assertEquals(224, c.cropWidth());
        assertEquals(1 / 255.0, c.rescaleFactor());
        assertTrue(c.doNormalize());
    }

    @Test
    void acceptsBareIntegerSizesOfOlderConfigs() throws IOException {
        ImageProcessorConfig c = ImageProcessorConfig.load(write(
                "{\"feature_extractor_type\": \"CLIPFeatureExtractor\", \"size\": 224, \"crop_size\": 224}"));
        assertEquals(new ImageProcessorConfig.ShortestEdge(224), c.size());
        assertEquals(224, c.cropHeight());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown type|{\"image_processor_type\": \"ViTImageProcessor\"}|image_processor_type: unsupported processor type 'ViTImageProcessor'",
        "missing type|{\"do_resize\": true}|image_processor_type: missing",
        "nearest filter|{\"image_processor_type\": \"CLIPImageProcessor\", \"resample\": 0}|resample: 0 (NEAREST) is not supported",
        "unknown filter|{\"image_processor_type\": \"CLIPImageProcessor\", \"resample\": 7}|resample: 7 is not a Pillow filter",
        "text filter|{\"image_processor_type\": \"CLIPImageProcessor\", \"resample\": \"bicubic\"}|resample: expected an integer",
        "negative edge|{\"image_processor_type\": \"CLIPImageProcessor\", \"size\": {\"shortest_edge\": -3}}|size.shortest_edge: expected a positive integer",
        "half a size|{\"image_processor_type\": \"SiglipImageProcessor\", \"size\": {\"height\": 384}}|size: give both height and width",
        "siglip shortest edge|{\"image_processor_type\": \"SiglipImageProcessor\", \"size\": {\"shortest_edge\": 384}}|size: SiglipImageProcessor needs height and width",
        "longest edge|{\"image_processor_type\": \"CLIPImageProcessor\", \"size\": {\"longest_edge\": 384}}|size: unsupported key 'longest_edge'",
        "bad crop|{\"image_processor_type\": \"CLIPImageProcessor\", \"crop_size\": {\"height\": 0, \"width\": 5}}|crop_size.height: expected a positive integer",
        "two means|{\"image_processor_type\": \"CLIPImageProcessor\", \"image_mean\": [0.5, 0.5]}|image_mean: expected 3 numbers",
        "zero std|{\"image_processor_type\": \"CLIPImageProcessor\", \"image_std\": [0.5, 0, 0.5]}|image_std: contains 0",
        "zero rescale|{\"image_processor_type\": \"CLIPImageProcessor\", \"rescale_factor\": 0}|rescale_factor: must be a positive finite number",
        "string flag|{\"image_processor_type\": \"CLIPImageProcessor\", \"do_resize\": \"yes\"}|do_resize: expected true or false",
        "not an object|[1, 2, 3]|expected a JSON object",
        "not json|{\"image_processor_type\": |not valid JSON",
    })
    void rejectsImpossibleConfigsNamingFileAndField(String name, String json, String expected) throws IOException {
        Path file = write(json);
        ImageConfigLoadException e = assertThrows(ImageConfigLoadException.class, () -> ImageProcessorConfig.load(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void missingFileIsALoadError() {
        Path file = tmp.resolve("preprocessor_config.json");
        ImageConfigLoadException e = assertThrows(ImageConfigLoadException.class, () -> ImageProcessor.fromConfig(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    private Path write(String json) throws IOException {
        Path file = tmp.resolve("preprocessor_config.json");
        Files.writeString(file, json);
        return file;
    }
}
