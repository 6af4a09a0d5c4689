package taskvec.model.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.model.ModelLoadException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Fuyu's config.json: the fixture, HF's defaults, and keys the runtime refuses by name. */
class FuyuConfigReaderTest {

    @TempDir
    Path dir;

    private ModelConfig read(String json) throws IOException {
        Files.writeString(dir.resolve("config.json"), json);
        return ConfigReader.read(dir);
    }

    @Test
    void fixture() {
        ModelConfig c = ConfigReader.read(Path.of("src/test/resources/fixtures/fuyu-persimmon/model"));
        FuyuConfig f = c.fuyu().orElseThrow();
        assertEquals("fuyu", c.modelType());
        assertEquals(6, f.patchSize());
        assertEquals(108, f.patchValues());
        assertEquals(95, f.imageTokenId());
        assertEquals(16, f.text().headDim());
        assertEquals(8, f.text().rotaryDim());
        assertEquals(25000.0, f.text().ropeTheta());
        assertTrue(f.text().qkLayernorm());
        assertEquals("relu2", f.text().hiddenAct());
        assertEquals(3, c.text().numLayers());
        assertTrue(c.hasVision());
    }

    @Test
    void adeptsDefaultsWithoutTextConfig() throws IOException {
        FuyuConfig f = read("{\"model_type\": \"fuyu\"}").fuyu().orElseThrow();
        assertEquals(36, f.text().numLayers());
        assertEquals(64, f.text().headDim());
        assertEquals(32, f.text().rotaryDim()); // partial_rotary_factor 0.5 by default
        assertEquals(30, f.patchSize());
        assertEquals(71011, f.imageTokenId());
        assertEquals(262144, f.text().vocabSize());
    }

    @Test
    void otherShapesAreReadNotAssumed() throws IOException {
        FuyuConfig f = read("{\"model_type\": \"fuyu\", \"patch_size\": 14, \"text_config\": {\"model_type\": \"persimmon\","
                + " \"hidden_size\": 96, \"num_attention_heads\": 3, \"partial_rotary_factor\": 0.25,"
                + " \"rope_parameters\": {\"rope_type\": \"default\", \"rope_theta\": 10000.0}}}").fuyu().orElseThrow();
        assertEquals(32, f.text().headDim());
        assertEquals(8, f.text().rotaryDim());
        assertEquals(10000.0, f.text().ropeTheta());
        assertEquals(14 * 14 * 3, f.patchValues());
    }

    @Test
    void keysTheRuntimeDoesNotImplementAreNamed() throws IOException {
        assertError("{\"model_type\": \"fuyu\", \"num_key_value_heads\": 8}", "num_key_value_heads");
        assertError("{\"model_type\": \"fuyu\", \"hidden_size\": 64, \"num_attention_heads\": 4,"
                + " \"partial_rotary_factor\": 0.1}", "partial_rotary_factor");
        assertError("{\"model_type\": \"fuyu\", \"rope_scaling\": {\"type\": \"dynamic\", \"factor\": 2.0}}",
                "rope_scaling.type");
        assertError("{\"model_type\": \"fuyu\", \"hidden_act\": \"relu3\"}", "hidden_act");
        assertError("{\"model_type\": \"fuyu\", \"hidden_size\": 32, \"text_config\": {\"hidden_size\": 64, \"num_attention_heads\": 4}}",
                "hidden_size: 32 differs");
        assertError("{\"model_type\": \"fuyu\", \"text_config\": {\"model_type\": \"llama\"}}",
                "text_config.model_type");
    }

    private void assertError(String json, String key) throws IOException {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> read(json));
        assertTrue(e.getMessage().startsWith(dir.resolve("config.json") + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }
}
