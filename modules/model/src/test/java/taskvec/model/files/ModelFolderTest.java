package taskvec.model.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.model.ModelLoadException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** A folder is checked before loading; weights or tokenizer in another form get the command that converts them. */
class ModelFolderTest {

    private static final Path FIXTURES = Path.of("src/test/resources/fixtures");

    private static Path copy(String fixture, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(FIXTURES.resolve(fixture).resolve("model"))) {
            for (Path f : files.toList()) Files.copy(f, to.resolve(f.getFileName()));
        }
        return to;
    }

    @Test
    void aCompleteFolderReportsItsStoredValues() {
        ModelFolder.Checked c = ModelFolder.check(FIXTURES.resolve("llava-clip-llama/model"));
        assertEquals("llava", c.config().modelType());
        assertEquals(222_480, c.storedValues());
        assertEquals(4L * 222_480, c.storedBytes()); // F32
    }

    @Test
    void pickledWeightsOnlyGetTheConversionCommand(@TempDir Path dir) throws IOException {
        Path model = copy("llava-clip-llama", dir.resolve("m"));
        Files.move(model.resolve("model.safetensors"), model.resolve("pytorch_model.bin"));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelFolder.check(model));
        assertTrue(e.getMessage().startsWith(model + ": the weights are only in PyTorch pickle files (pytorch_model.bin)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("python -c \"from transformers import AutoModelForImageTextToText as M; "
                + "M.from_pretrained('" + model.toAbsolutePath() + "', torch_dtype='auto').save_pretrained('"
                + model.toAbsolutePath() + "', safe_serialization=True)\""), e.getMessage());

        Path llm = copy("llama-sharded", dir.resolve("llm"));
        try (Stream<Path> files = Files.list(llm)) {
            for (Path f : files.toList()) if (f.getFileName().toString().startsWith("model")) Files.delete(f);
        }
        Files.writeString(llm.resolve("pytorch_model-00001-of-00002.bin"), "x");
        Files.writeString(llm.resolve("pytorch_model.bin.index.json"), "{}");
        ModelLoadException causal = assertThrows(ModelLoadException.class, () -> ModelFolder.check(llm));
        assertTrue(causal.getMessage().contains("AutoModelForCausalLM"), causal.getMessage());
        assertTrue(causal.getMessage().contains("pytorch_model-00001-of-00002.bin, pytorch_model.bin.index.json"),
                causal.getMessage());
    }

    @Test
    void aMissingTokenizerJsonGetsTheConversionCommand(@TempDir Path dir) throws IOException {
        Path model = copy("llama-sharded", dir.resolve("m"));
        Files.delete(model.resolve("tokenizer.json"));
        Files.writeString(model.resolve("tokenizer.model"), "sentencepiece");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelFolder.check(model));
        assertTrue(e.getMessage().startsWith(model.resolve("tokenizer.json") + ": not found"), e.getMessage());
        assertTrue(e.getMessage().contains("only the SentencePiece tokenizer.model"), e.getMessage());
        assertTrue(e.getMessage().endsWith("python -c \"from transformers import AutoTokenizer; AutoTokenizer.from_pretrained('"
                + model.toAbsolutePath() + "').save_pretrained('" + model.toAbsolutePath() + "')\""), e.getMessage());
    }
}
