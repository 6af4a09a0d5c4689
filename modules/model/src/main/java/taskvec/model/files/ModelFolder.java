package taskvec.model.files;

import taskvec.model.ModelLoadException;
import taskvec.model.config.ConfigReader;
import taskvec.model.config.ModelConfig;
import taskvec.model.safetensors.CheckpointFiles;
import taskvec.model.safetensors.SafetensorsLoadException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a model folder must hold before any weight is loaded: a config the runtime implements, safetensors weights
 * (every shard the index names) and the fast tokenizer's {@code tokenizer.json}. A folder that has the weights or
 * the tokenizer only in another form gets an error with the one-line {@code transformers} command that converts
 * it. Reads config.json, tokenizer.json's presence and the safetensors headers; never the tensors.
 */
public final class ModelFolder {

    /** A checked folder: its config and the number of values its weights hold (from the safetensors headers). */
    public record Checked(Path dir, ModelConfig config, long storedValues, long storedBytes) {
    }

    private ModelFolder() {
    }

    public static Checked check(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ModelLoadException(dir + ": not a folder");
        }
        ModelConfig config = ConfigReader.read(dir);
        boolean safetensors = Files.isRegularFile(dir.resolve(CheckpointFiles.SINGLE_FILE))
                || Files.isRegularFile(dir.resolve(CheckpointFiles.INDEX_FILE));
        if (!safetensors && !pytorchBins(dir).isEmpty()) {
            throw new ModelLoadException(dir + ": the weights are only in PyTorch pickle files (" + String.join(", ", pytorchBins(dir))
                    + "); taskvec reads safetensors. Convert once with: " + convertWeights(dir, config));
        }
        long values = 0;
        long bytes = 0;
        try (CheckpointFiles checkpoint = CheckpointFiles.open(dir)) {
            for (String name : checkpoint.names()) {
                var info = checkpoint.info(name);
                values += info.elementCount();
                bytes += info.end() - info.begin();
            }
        } catch (SafetensorsLoadException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
        if (!Files.isRegularFile(dir.resolve("tokenizer.json"))) {
            throw new ModelLoadException(dir.resolve("tokenizer.json") + ": not found; taskvec reads the fast tokenizer's"
                    + " tokenizer.json" + (Files.isRegularFile(dir.resolve("tokenizer.model")) ? " (this folder has only the"
                    + " SentencePiece tokenizer.model)" : "") + ". Write it once with: " + convertTokenizer(dir));
        }
        return new Checked(dir, config, values, bytes);
    }

    /** The one-line command that saves a folder's pickled weights as safetensors beside them. */
    static String convertWeights(Path dir, ModelConfig config) {
        String auto = config.hasVision() ? "AutoModelForImageTextToText" : "AutoModelForCausalLM";
        String d = quoted(dir);
        return "python -c \"from transformers import " + auto + " as M; M.from_pretrained(" + d
                + ", torch_dtype='auto').save_pretrained(" + d + ", safe_serialization=True)\"";
    }

    /** The one-line command that writes tokenizer.json from a slow (SentencePiece) tokenizer. */
    static String convertTokenizer(Path dir) {
        String d = quoted(dir);
        return "python -c \"from transformers import AutoTokenizer; AutoTokenizer.from_pretrained(" + d
                + ").save_pretrained(" + d + ")\"";
    }

    private static String quoted(Path dir) {
        return "'" + dir.toAbsolutePath().normalize().toString().replace("'", "\\'") + "'";
    }

    private static List<String> pytorchBins(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.matches("pytorch_model.*\\.bin") || n.equals("pytorch_model.bin.index.json"))
                    .sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
