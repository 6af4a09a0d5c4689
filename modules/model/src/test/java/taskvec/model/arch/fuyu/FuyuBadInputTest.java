package taskvec.model.arch.fuyu;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.model.ModelLoadException;
import taskvec.model.RuntimeSettings;
import taskvec.model.image.ImageInputException;
import taskvec.model.runtime.LoadedModel;
import taskvec.model.safetensors.SafetensorsFile;
import taskvec.model.safetensors.SafetensorsWriter;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Bad Fuyu input: each a clear error naming the file. */
class FuyuBadInputTest {

    private static final Path MODEL = FuyuFixtureTest.FIXTURE.resolve("model");

    @TempDir
    Path dir;

    private Path copyModel() throws IOException {
        try (Stream<Path> files = Files.list(MODEL)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    @Test
    void anImageSmallerThanOnePatch() throws IOException {
        Path small = dir.resolve("small.png");
        ImageIO.write(new BufferedImage(40, 4, BufferedImage.TYPE_INT_RGB), "png", small.toFile());
        try (LoadedModel model = LoadedModel.load(MODEL, RuntimeSettings.defaults())) {
            ImageInputException e = assertThrows(ImageInputException.class,
                    () -> model.encode("Q:<image>\nA:", List.of(small), OptionalInt.empty()));
            assertTrue(e.getMessage().startsWith(small.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("smaller than one 6x6 patch"), e.getMessage());
        }
    }

    @Test
    void aCheckpointWithoutVisionEmbedTokens() throws IOException {
        Path folder = copyModel();
        Path weights = folder.resolve("model.safetensors");
        SafetensorsWriter writer = new SafetensorsWriter();
        try (SafetensorsFile original = SafetensorsFile.open(MODEL.resolve("model.safetensors"))) {
            for (String name : original.names()) {
                if (!name.startsWith("vision_embed_tokens.")) {
                    writer.add(name, original.info(name).dtype(), original.info(name).shape(), original.readFloats(name));
                }
            }
        }
        writer.write(weights);
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> LoadedModel.load(folder, RuntimeSettings.defaults()));
        assertTrue(e.getMessage().startsWith(folder.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("vision_embed_tokens.weight"), e.getMessage());
    }

    @Test
    void aTokenizerWithoutMantisImageTokensUsedWithMantisLayout() throws IOException {
        Path folder = copyModel();
        // the folder names Mantis' processor, but its tokenizer is plain Fuyu's (no |IMAGE|, |ENDOFIMAGE|)
        ObjectMapper json = new ObjectMapper();
        Path processor = folder.resolve("preprocessor_config.json");
        ObjectNode config = (ObjectNode) json.readTree(processor.toFile());
        config.put("processor_class", "MFuyuProcessor");
        json.writeValue(processor.toFile(), config);
        Path tokenizer = folder.resolve("tokenizer.json");
        ObjectNode tok = (ObjectNode) json.readTree(tokenizer.toFile());
        ArrayNode added = json.createArrayNode();
        tok.get("added_tokens").forEach(t -> {
            if (!t.get("content").asText().matches("\\|(IMAGE|ENDOFIMAGE)\\|")) {
                added.add(t);
            }
        });
        tok.set("added_tokens", added);
        ((ObjectNode) tok.get("model").get("vocab")).remove(List.of("|IMAGE|", "|ENDOFIMAGE|"));
        json.writeValue(tokenizer.toFile(), tok);

        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> LoadedModel.load(folder, RuntimeSettings.defaults()));
        assertTrue(e.getMessage().startsWith(tokenizer.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("|IMAGE|") && e.getMessage().contains("Mantis"), e.getMessage());

        // without the processor_class the folder is plain Fuyu: Hugging Face's one-image layout, no error
        config.remove("processor_class");
        json.writeValue(processor.toFile(), config);
        try (LoadedModel model = LoadedModel.load(folder, RuntimeSettings.defaults())) {
            assertTrue(model.layout() instanceof taskvec.model.layout.FuyuLayout);
        }
    }
}
