package taskvec.model.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import taskvec.model.ModelLoadException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Idefics2's config.json: every size read from the file, HF's defaults and its perceiver rule, refusals. */
class Idefics2ConfigReaderTest {

    /** idefics2-8b's shape: sub-configs with only what differs from HF's defaults. */
    private static final String IDEFICS2_8B = """
            {"model_type": "idefics2", "image_token_id": 32001,
             "text_config": {"model_type": "mistral", "vocab_size": 32003, "rms_norm_eps": 1e-05,
                             "max_position_embeddings": 32768, "sliding_window": 4096},
             "vision_config": {"model_type": "idefics2", "hidden_size": 1152, "image_size": 980,
                               "intermediate_size": 4304, "num_attention_heads": 16, "num_hidden_layers": 27,
                               "patch_size": 14},
             "perceiver_config": {"model_type": "idefics2", "resampler_depth": 3, "resampler_head_dim": 96,
                                  "resampler_n_heads": 16, "resampler_n_latents": 64, "num_key_value_heads": 4}}
            """;

    private static Idefics2Config read(Path dir, String json) throws IOException {
        Files.writeString(dir.resolve("config.json"), json);
        ModelConfig c = ConfigReader.read(dir);
        assertEquals("idefics2", c.modelType());
        assertTrue(c.hasVision());
        return c.idefics2().orElseThrow();
    }

    @Test
    void fixtureIdefics2Mistral() {
        ModelConfig model = ConfigReader.read(Path.of("src/test/resources/fixtures/idefics2-mistral/model"));
        Idefics2Config c = model.idefics2().orElseThrow();
        assertEquals("mistral", c.text().modelType());
        assertEquals(48, c.text().hiddenSize());
        assertEquals(2, c.text().numKvHeads());
        assertEquals(0, c.text().slidingWindow());
        assertEquals(32, c.vision().hiddenSize());
        assertEquals(7, c.vision().patchSize());
        assertEquals(64, c.vision().tokensPerImage()); // (56 / 7)^2 position table entries
        assertEquals(95, c.imageTokenId());
        // perceiver_config has neither hidden_size nor rms_norm_eps: HF's default 4096 differs from the text
        // model's 48, so both come from the text model
        assertEquals(new PerceiverConfig(48, 1e-5, 8, 2, 4, 12, 2, "silu"), c.perceiver());
        assertEquals(8, model.imageFeatureCount());
    }

    @Test
    void idefics2_8bKeepsThePerceiversOwnEpsilon(@TempDir Path dir) throws IOException {
        Idefics2Config c = read(dir, IDEFICS2_8B);
        // the text model's hidden size is Mistral's default 4096, equal to the perceiver's default: HF keeps the
        // perceiver's own rms_norm_eps (1e-6), not the text model's 1e-5
        assertEquals(new PerceiverConfig(4096, 1e-6, 64, 3, 16, 96, 4, "silu"), c.perceiver());
        assertEquals(1e-5, c.text().rmsNormEps());
        assertEquals(4096, c.text().slidingWindow());
        assertEquals(70 * 70, c.vision().tokensPerImage());
        assertEquals("gelu_pytorch_tanh", c.vision().hiddenAct());
        assertEquals(1e-6, c.vision().layerNormEps());
        assertEquals(32001, c.imageTokenId());
    }

    @Test
    void aPerceiverSizedAsTheTextModelKeepsWhatItStates(@TempDir Path dir) throws IOException {
        Idefics2Config c = read(dir, """
                {"model_type": "idefics2", "image_token_id": 5, "text_config": {"hidden_size": 64, "vocab_size": 10,
                 "num_attention_heads": 4, "num_key_value_heads": 4},
                 "perceiver_config": {"hidden_size": 64, "rms_norm_eps": 0.001, "resampler_n_latents": 3}}
                """);
        assertEquals(64, c.perceiver().hiddenSize());
        assertEquals(0.001, c.perceiver().rmsNormEps());
        assertEquals(3, c.perceiver().numLatents());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "kv heads|\"perceiver_config\": {\"resampler_n_heads\": 6, \"num_key_value_heads\": 4}|perceiver_config.num_key_value_heads: 4 does not divide resampler_n_heads 6",
        "activation|\"perceiver_config\": {\"hidden_act\": \"gelu_10\"}|perceiver_config.hidden_act: activation 'gelu_10' is not supported",
        "no latents|\"perceiver_config\": {\"resampler_n_latents\": 0}|perceiver_config.resampler_n_latents: must be positive",
        "other perceiver|\"perceiver_config\": {\"model_type\": \"idefics_perceiver\"}|perceiver_config.model_type: 'idefics_perceiver' is not an Idefics2 perceiver",
        "not an object|\"perceiver_config\": \"default\"|perceiver_config: must be an object",
        "non-square image|\"vision_config\": {\"image_size\": [980, 490]}|vision_config.image_size: must be an integer",
        "channels|\"vision_config\": {\"num_channels\": 1}|vision_config.num_channels: 1 is not supported",
        "text model|\"text_config\": {\"model_type\": \"gemma\"}|text_config.model_type: 'gemma' is not supported",
        "image token|\"image_token_id\": 40000|image_token_id: 40000 is outside the text model's vocabulary of 32000",
    })
    void unsupportedSettingsAreErrorsNamingFileAndKey(String name, String entry, String expected,
                                                      @TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"idefics2\", " + entry + "}");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ConfigReader.read(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("config.json") + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
