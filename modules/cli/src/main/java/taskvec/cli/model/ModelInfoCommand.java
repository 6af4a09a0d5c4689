package taskvec.cli.model;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import taskvec.cli.common.ExitCodes;
import taskvec.cli.common.RehashOption;
import taskvec.cli.common.RuntimeOptions;
import taskvec.model.ModelInfo;
import taskvec.model.files.FileDigests;
import taskvec.model.files.ModelFolder;
import taskvec.model.runtime.LoadedModel;
import taskvec.model.runtime.MemoryEstimate;
import ai.djl.ndarray.types.DataType;

/** `taskvec model info DIR`: what the folder holds, and the SHA-256 of every file in it. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Architecture, layers, sizes, dtype, parameter count and the SHA-256 of every file of a model folder.")
public final class ModelInfoCommand implements Callable<Integer> {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Parameters(index = "0", paramLabel = "DIR", description = "Hugging Face model folder.")
    Path dir;

    @Mixin RehashOption rehash;
    @Mixin RuntimeOptions runtime;

    @picocli.CommandLine.Option(names = "--json", description = "print JSON: {folder, architecture, model_type, text_model_type,"
            + " layers, hidden_size, heads, kv_heads, vocab_size, vision: {label: text} or null, parameters, dtype, device,"
            + " files: [{path, sha256}]}")
    boolean json;

    @Spec CommandSpec spec;

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Override
    public Integer call() throws IOException {
        rehash.apply();
        if (json) return printJson();
        try (LoadedModel model = LoadedModel.load(dir, runtime.settings())) {
            ModelInfo i = model.info();
            out().printf("folder          %s%n", dir.toAbsolutePath());
            out().printf("architecture    %s%n", model.config().architecture());
            out().printf("layers          %d%n", i.numLayers());
            out().printf("hidden size     %d%n", i.hiddenSize());
            out().printf("heads           %d (key/value heads %d)%n", i.numHeads(), i.numKvHeads());
            out().printf("vocabulary      %d%n", i.vocabSize());
            model.config().visionSummary().forEach((label, text) -> out().printf("%-15s %s%n", label, text));
            out().printf("parameters      %,d%n", i.parameterCount());
            out().printf("dtype           %s on %s%n", i.dtype(), i.device());
        }
        ModelFolder.Checked folder = ModelFolder.check(dir);
        for (DataType dtype : new DataType[] {DataType.FLOAT32, DataType.FLOAT16}) {
            out().printf("memory %-8s %s%n", dtype.name().toLowerCase(), MemoryEstimate.of(folder, dtype, MemoryEstimate.DEFAULT_TOKENS, 1).describe());
        }
        out().printf("device memory   %s on %s%n", MemoryEstimate.gib(MemoryEstimate.deviceBytes(runtime.settings().djlDevice())),
                runtime.settings().device());
        out().println("files (SHA-256):");
        for (Path f : files()) {
            out().printf("  %s  %s%n", FileDigests.sha256(f), dir.relativize(f));
        }
        return ExitCodes.OK;
    }

    private int printJson() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        try (LoadedModel model = LoadedModel.load(dir, runtime.settings())) {
            ModelInfo i = model.info();
            root.put("folder", dir.toAbsolutePath().toString());
            root.put("architecture", model.config().architecture());
            root.put("model_type", i.modelType());
            root.put("text_model_type", i.textModelType());
            root.put("layers", i.numLayers());
            root.put("hidden_size", i.hiddenSize());
            root.put("heads", i.numHeads());
            root.put("kv_heads", i.numKvHeads());
            root.put("vocab_size", i.vocabSize());
            if (i.hasVision()) {
                ObjectNode vision = root.putObject("vision");
                model.config().visionSummary().forEach(vision::put);
            } else {
                root.putNull("vision");
            }
            root.put("parameters", i.parameterCount());
            root.put("dtype", i.dtype());
            root.put("device", i.device());
        }
        ArrayNode files = root.putArray("files");
        for (Path f : files()) files.addObject().put("path", dir.relativize(f).toString()).put("sha256", FileDigests.sha256(f));
        out().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        out().flush();
        return ExitCodes.OK;
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    static String sha256(Path file) {
        return FileDigests.sha256(file);
    }
}
