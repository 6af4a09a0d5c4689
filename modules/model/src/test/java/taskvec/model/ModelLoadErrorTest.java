package taskvec.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import taskvec.model.runtime.LoadedModel;

import static org.junit.jupiter.api.Assertions.*;

/** Bad model folders fail with a ModelLoadException naming the file and the problem. */
class ModelLoadErrorTest {

    private static final Path SHARDED = Path.of("src/test/resources/fixtures/llama-sharded/model");
    private static final Path LLAVA = Path.of("src/test/resources/fixtures/llava-clip-llama/model");

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    @Test
    void missingConfigJson(@TempDir Path dir) throws IOException {
        copy(SHARDED, dir);
        Files.delete(dir.resolve("config.json"));
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> LoadedModel.load(dir, RuntimeSettings.defaults()));
        assertTrue(e.getMessage().contains(dir.resolve("config.json").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void unsupportedModelType(@TempDir Path dir) throws IOException {
        copy(SHARDED, dir);
        Path config = dir.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"model_type\": \"llama\"", "\"model_type\": \"gpt2\""));
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> LoadedModel.load(dir, RuntimeSettings.defaults()));
        assertTrue(e.getMessage().contains(config.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("unsupported model_type 'gpt2'"), e.getMessage());
    }

    @Test
    void aTensorTheConfigNeedsIsMissing(@TempDir Path dir) throws IOException {
        copy(SHARDED, dir);
        // the config asks for a fifth layer that no shard holds
        Path config = dir.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"num_hidden_layers\": 4", "\"num_hidden_layers\": 5"));
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> LoadedModel.load(dir, RuntimeSettings.defaults()));
        assertTrue(e.getMessage().contains("model.layers.4."), e.getMessage());
        assertTrue(e.getMessage().contains("is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("model-00001-of-00002.safetensors"), e.getMessage());
    }

    @Test
    void aTensorWithTheWrongShape(@TempDir Path dir) throws IOException {
        copy(LLAVA, dir);
        Path config = dir.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"intermediate_size\": 112", "\"intermediate_size\": 100"));
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> LoadedModel.load(dir, RuntimeSettings.defaults()));
        assertTrue(e.getMessage().contains("language_model.model.layers.0.mlp.gate_proj.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("[112, 64]"), e.getMessage());
    }

    @Test
    void notAFolder(@TempDir Path dir) {
        Path missing = dir.resolve("nothing-here");
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> LoadedModel.load(missing, RuntimeSettings.defaults()));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void bfloat16IsRefusedBeforeTheEngineSeesIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoadedModel.load(SHARDED, new RuntimeSettings("cpu", "bfloat16")));
        assertTrue(e.getMessage().contains("bfloat16"), e.getMessage());
    }
}
