package taskvec.model.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.model.ModelLoadException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** config.json: the keys of each model type and the Hugging Face defaults for keys a config omits. */
class ConfigReaderTest {

    private static ModelConfig read(Path dir, String json) throws IOException {
        Files.writeString(dir.resolve("config.json"), json);
        return ConfigReader.read(dir);
    }

    @Test
    void fixtureLlavaClipLlama() {
        ModelConfig c = ConfigReader.read(Path.of("src/test/resources/fixtures/llava-clip-llama/model"));
        assertEquals("llava", c.modelType());
        assertEquals(4, c.text().numLayers());
        assertEquals(2, c.text().numKvHeads());
        assertEquals(16, c.text().headDim());
        assertFalse(c.text().qkvBias());
        assertTrue(c.vision().get().isClip());
        assertEquals(17, c.vision().get().tokensPerImage());
        assertEquals(16, c.imageFeatureCount()); // default strategy drops CLS
        assertArrayEquals(new int[] {-2}, c.llava().get().visionFeatureLayers());
        assertEquals(95, c.llava().get().imageTokenId());
    }

    @Test
    void fixtureLlavaSiglipQwen2() {
        ModelConfig c = ConfigReader.read(Path.of("src/test/resources/fixtures/llava-siglip-qwen2/model"));
        assertEquals("qwen2", c.text().modelType());
        assertTrue(c.text().qkvBias());
        assertFalse(c.text().outputBias());
        assertTrue(c.text().tieWordEmbeddings());
        assertEquals(1e6, c.text().ropeTheta());
        assertFalse(c.vision().get().isClip());
        assertEquals(16, c.imageFeatureCount()); // full strategy, no CLS
    }

    @Test
    void defaultsForOmittedKeys(@TempDir Path dir) throws IOException {
        TextConfig mistral = read(dir, "{\"model_type\": \"mistral\"}").text();
        assertEquals(8, mistral.numKvHeads());
        assertEquals(14336, mistral.intermediateSize());
        assertEquals(1e-6, mistral.rmsNormEps());
        assertEquals(10000.0, mistral.ropeTheta());
        assertEquals("silu", mistral.hiddenAct());
        assertEquals(128, mistral.headDim());
        assertEquals(4096, mistral.slidingWindow());
        assertEquals(0, read(dir, "{\"model_type\": \"mistral\", \"sliding_window\": null}").text().slidingWindow());
        assertEquals(0, read(dir, "{\"model_type\": \"qwen2\", \"sliding_window\": 4096}").text().slidingWindow());
        assertThrows(ModelLoadException.class,
                () -> read(dir, "{\"model_type\": \"qwen2\", \"use_sliding_window\": true}"));

        TextConfig llama = read(dir, "{\"model_type\": \"llama\", \"hidden_size\": 64, \"num_attention_heads\": 4}").text();
        assertEquals(4, llama.numKvHeads()); // kv heads default to the attention heads
        assertEquals(16, llama.headDim());
        assertFalse(llama.tieWordEmbeddings());

        TextConfig withHeadDim = read(dir, "{\"model_type\": \"llama\", \"hidden_size\": 64, \"num_attention_heads\": 4,"
                + " \"head_dim\": 32, \"attention_bias\": true}").text();
        assertEquals(32, withHeadDim.headDim());
        assertTrue(withHeadDim.qkvBias());
        assertTrue(withHeadDim.outputBias());

        ModelConfig llava = read(dir, "{\"model_type\": \"llava\"}");
        assertEquals("llama", llava.text().modelType());
        VisionConfig v = llava.vision().get();
        assertEquals(336, v.imageSize());
        assertEquals(14, v.patchSize());
        assertEquals(24, v.numLayers());
        assertEquals("quick_gelu", v.hiddenAct());
        assertEquals(576, llava.imageFeatureCount());
        assertEquals(32000, llava.llava().get().imageTokenId());
        assertEquals("gelu", llava.llava().get().projectorHiddenAct());

        ModelConfig siglip = read(dir, "{\"model_type\": \"llava\", \"vision_config\": {\"model_type\": \"siglip_vision_model\"},"
                + " \"vision_feature_layer\": [-2, -5], \"vision_feature_select_strategy\": \"full\"}");
        assertEquals("gelu_pytorch_tanh", siglip.vision().get().hiddenAct());
        assertEquals(1e-6, siglip.vision().get().layerNormEps());
        assertEquals(16, siglip.vision().get().patchSize());
        assertArrayEquals(new int[] {-2, -5}, siglip.llava().get().visionFeatureLayers());
    }

    @Test
    void ropeScaling(@TempDir Path dir) throws IOException {
        double[] plain = read(dir, "{\"model_type\": \"llama\", \"hidden_size\": 64, \"num_attention_heads\": 4}")
                .text().ropeScaling().inverseFrequencies(16, 10000);
        assertEquals(1.0, plain[0]);
        assertEquals(Math.pow(10000, -14.0 / 16), plain[7], 1e-15);
        double[] linear = read(dir, "{\"model_type\": \"llama\", \"rope_scaling\": {\"type\": \"linear\", \"factor\": 4}}")
                .text().ropeScaling().inverseFrequencies(16, 10000);
        assertEquals(plain[3] / 4, linear[3], 1e-15);
        // Llama 3.1's settings: high frequencies kept, low ones divided by 8, the middle blended
        RopeScaling llama3 = read(dir, "{\"model_type\": \"llama\", \"rope_theta\": 500000.0, \"rope_scaling\": "
                + "{\"rope_type\": \"llama3\", \"factor\": 8.0, \"low_freq_factor\": 1.0, \"high_freq_factor\": 4.0, "
                + "\"original_max_position_embeddings\": 8192}}").text().ropeScaling();
        double[] base = RopeScaling.NONE.inverseFrequencies(128, 500000);
        double[] scaled = llama3.inverseFrequencies(128, 500000);
        for (int i = 0; i < base.length; i++) {
            double wavelen = 2 * Math.PI / base[i];
            if (wavelen < 8192 / 4.0) {
                assertEquals(base[i], scaled[i], 0.0);
            } else if (wavelen > 8192) {
                assertEquals(base[i] / 8, scaled[i], 1e-18);
            } else {
                assertTrue(scaled[i] < base[i] && scaled[i] > base[i] / 8, "blend at " + i);
            }
        }
    }

    @Test
    void errorsNameTheFileAndTheKey(@TempDir Path dir) {
        Path file = dir.resolve("config.json");
        ModelLoadException type = assertThrows(ModelLoadException.class, () -> read(dir, "{\"model_type\": \"gpt2\"}"));
        assertTrue(type.getMessage().startsWith(file + ": unsupported model_type 'gpt2'"), type.getMessage());
        ModelLoadException text = assertThrows(ModelLoadException.class,
                () -> read(dir, "{\"model_type\": \"llava\", \"text_config\": {\"model_type\": \"vicuna\"}}"));
        assertTrue(text.getMessage().contains("text_config.model_type 'vicuna'"), text.getMessage());
        ModelLoadException wrongType = assertThrows(ModelLoadException.class,
                () -> read(dir, "{\"model_type\": \"llama\", \"num_hidden_layers\": \"four\"}"));
        assertTrue(wrongType.getMessage().contains("num_hidden_layers: must be an integer"), wrongType.getMessage());
        ModelLoadException rope = assertThrows(ModelLoadException.class,
                () -> read(dir, "{\"model_type\": \"llama\", \"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 8}}"));
        assertTrue(rope.getMessage().contains("rope_scaling"), rope.getMessage());
        ModelLoadException layer = assertThrows(ModelLoadException.class,
                () -> read(dir, "{\"model_type\": \"llava\", \"vision_feature_layer\": -40}"));
        assertTrue(layer.getMessage().contains("vision_feature_layer -40"), layer.getMessage());
        ModelLoadException json = assertThrows(ModelLoadException.class, () -> read(dir, "{not json"));
        assertTrue(json.getMessage().startsWith(file + ": not valid JSON"), json.getMessage());
        ModelLoadException noType = assertThrows(ModelLoadException.class, () -> read(dir, "{}"));
        assertTrue(noType.getMessage().contains("model_type is missing"), noType.getMessage());
    }

    @Test
    void ropeInBothLayoutsReadsToTheSameSettings(@TempDir Path dir) throws IOException {
        String llama3 = "\"factor\": 8.0, \"low_freq_factor\": 1.0, \"high_freq_factor\": 4.0, "
                + "\"original_max_position_embeddings\": 8192";
        String[][] pairs = {
            // earlier layout, transformers 5 layout
            {"\"rope_theta\": 500000.0", "\"rope_parameters\": {\"rope_type\": \"default\", \"rope_theta\": 500000.0}"},
            {"\"rope_theta\": 2e5, \"rope_scaling\": {\"type\": \"linear\", \"factor\": 4}",
                "\"rope_parameters\": {\"rope_type\": \"linear\", \"factor\": 4, \"rope_theta\": 2e5}"},
            {"\"rope_theta\": 500000.0, \"rope_scaling\": {\"rope_type\": \"llama3\", " + llama3 + "}",
                "\"rope_parameters\": {\"rope_type\": \"llama3\", \"rope_theta\": 500000.0, " + llama3 + "}"},
        };
        for (String[] pair : pairs) {
            TextConfig legacy = read(dir, "{\"model_type\": \"llama\", " + pair[0] + "}").text();
            TextConfig v5 = read(dir, "{\"model_type\": \"llama\", " + pair[1] + "}").text();
            assertEquals(legacy, v5, pair[1]);
            TextConfig inLlava = read(dir, "{\"model_type\": \"llava\", \"text_config\": {" + pair[1] + "}}").text();
            assertEquals(legacy, inLlava, "text_config." + pair[1]);
        }
        TextConfig v5 = read(dir, "{\"model_type\": \"llama\", \"rope_parameters\": {\"rope_type\": \"llama3\", "
                + "\"rope_theta\": 500000.0, " + llama3 + "}}").text();
        assertEquals(500000.0, v5.ropeTheta());
        assertEquals("llama3", v5.ropeScaling().type());
        assertEquals(8192, v5.ropeScaling().originalMaxPositions());
    }

    @Test
    void arithmeticTheRuntimeLacksIsRefusedNamingTheField(@TempDir Path dir) {
        String[][] cases = {
            {"{\"model_type\": \"llama\", \"rope_parameters\": {\"rope_type\": \"yarn\", \"rope_theta\": 1e4, \"factor\": 4}}",
                "rope_parameters.rope_type: 'yarn' is not supported"},
            {"{\"model_type\": \"llava\", \"text_config\": {\"rope_parameters\": {\"rope_type\": \"dynamic\", \"factor\": 2}}}",
                "text_config.rope_parameters.rope_type: 'dynamic' is not supported"},
            {"{\"model_type\": \"llama\", \"rope_scaling\": {\"type\": \"longrope\"}}",
                "rope_scaling.type: 'longrope' is not supported"},
            {"{\"model_type\": \"llama\", \"rope_parameters\": {\"rope_type\": \"llama3\", \"rope_theta\": 1e4, \"factor\": 8}}",
                "rope_parameters.low_freq_factor: missing"},
            {"{\"model_type\": \"llama\", \"rope_parameters\": {\"full_attention\": {\"rope_type\": \"default\"}}}",
                "rope_parameters: needs rope_type and rope_theta"},
            {"{\"model_type\": \"llama\", \"rope_theta\": 1e4, \"rope_parameters\": {\"rope_type\": \"default\", \"rope_theta\": 1e6}}",
                "rope_theta: 10000.0 disagrees with rope_parameters.rope_theta 1000000.0"},
            {"{\"model_type\": \"llama\", \"partial_rotary_factor\": 0.5}", "partial_rotary_factor: 0.5 is not supported"},
            {"{\"model_type\": \"mistral\", \"hidden_act\": \"relu6\"}", "hidden_act: activation 'relu6' is not supported"},
            {"{\"model_type\": \"llava\", \"text_config\": {\"hidden_act\": \"xielu\"}}",
                "text_config.hidden_act: activation 'xielu' is not supported"},
            {"{\"model_type\": \"llava\", \"vision_config\": {\"hidden_act\": \"mish\"}}",
                "vision_config.hidden_act: activation 'mish' is not supported"},
            {"{\"model_type\": \"llava\", \"projector_hidden_act\": \"gelu_10\"}",
                "projector_hidden_act: activation 'gelu_10' is not supported"},
        };
        for (String[] c : cases) {
            ModelLoadException e = assertThrows(ModelLoadException.class, () -> read(dir, c[0]), c[0]);
            assertTrue(e.getMessage().startsWith(dir.resolve("config.json") + ": " + c[1]), e.getMessage());
        }
    }

    @Test
    void hugeNumbersAreNamedNotTruncated(@TempDir Path dir) {
        Path file = dir.resolve("config.json");
        // 2^40: as an int it would be 0 and surface later as a baffling tensor shape
        ModelLoadException hidden = assertThrows(ModelLoadException.class,
                () -> read(dir, "{\"model_type\": \"llama\", \"hidden_size\": 1099511627776}"));
        assertEquals(file + ": hidden_size: 1099511627776 is outside the sane range 1..65536", hidden.getMessage());
        ModelLoadException beyondLong = assertThrows(ModelLoadException.class,
                () -> read(dir, "{\"model_type\": \"llava\", \"vision_config\": {\"num_hidden_layers\": 99999999999999999999999}}"));
        assertTrue(beyondLong.getMessage().contains("vision_config.num_hidden_layers: 99999999999999999999999 is outside"),
                beyondLong.getMessage());
        ModelLoadException zero = assertThrows(ModelLoadException.class,
                () -> read(dir, "{\"model_type\": \"llama\", \"num_attention_heads\": 0}"));
        assertTrue(zero.getMessage().contains("num_attention_heads: 0 is outside the sane range 1..1024"), zero.getMessage());
        ModelLoadException unlisted = assertThrows(ModelLoadException.class,
                () -> read(dir, "{\"model_type\": \"llava\", \"image_token_index\": -5}"));
        assertTrue(unlisted.getMessage().contains("image_token_index: -5 is outside"), unlisted.getMessage());
    }
}
