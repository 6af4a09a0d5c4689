package taskvec.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import taskvec.store.Store;
import taskvec.store.repo.Run;
import taskvec.store.repo.RunTable;

/**
 * Writes one run's results into a folder for Python and scripts: {@code vectors.safetensors}
 * (see {@link VectorTensors}), {@code predictions} and {@code metrics} as Parquet or CSV (with a
 * {@code vector} column naming the patched vector's tensor), {@code run.json} (the run's
 * settings, models with their file hashes, code and engine versions, and the SHA-256 of every
 * exported file) and a {@code README.md} with the Python lines that load them.
 */
public final class RunExport {
    public static final String VECTORS = "vectors.safetensors";
    public static final String RUN_JSON = "run.json";
    public static final String README = "README.md";

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    /** predictions gain the tensor name of their vector_id */
    private static final RunTable.Column VECTOR = new RunTable.Column("vector", RunTable.Column.Type.TEXT, true);

    /** What was written. */
    public record Result(Path dir, List<Path> files, int tensors, long predictions, long metrics) {}

    private RunExport() {}

    public static Result write(Store store, long runId, Path dir, ExportFormat format) {
        Run run = store.runs().find(runId).orElseThrow(() -> new ExportInputException("run " + runId + ": no such run"));
        checkFolder(dir, format);
        try {
            Files.createDirectories(dir);
            Path vectors = dir.resolve(VECTORS);
            Map<Long, String> tensorOfVector = VectorTensors.write(store.vectors(), runId, vectors);
            Path predictions = dir.resolve(RunTable.PREDICTIONS.tableName() + "." + format.extension());
            long predictionRows = table(store, RunTable.PREDICTIONS, runId, predictions, format, tensorOfVector);
            Path metrics = dir.resolve(RunTable.METRICS.tableName() + "." + format.extension());
            long metricRows = table(store, RunTable.METRICS, runId, metrics, format, null);
            Path readme = dir.resolve(README);
            Files.writeString(readme, readme(run, format), StandardCharsets.UTF_8);
            List<Path> data = List.of(vectors, predictions, metrics, readme);
            int tensors = new java.util.HashSet<>(tensorOfVector.values()).size();
            Path runJson = dir.resolve(RUN_JSON);
            Files.writeString(runJson, runJson(run, data, tensors, predictionRows, metricRows), StandardCharsets.UTF_8);
            List<Path> files = new ArrayList<>(data);
            files.add(runJson);
            return new Result(dir, files, tensors, predictionRows, metricRows);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot write the export: " + e.getMessage(), e);
        }
    }

    /** The names an export writes; a folder holding anything else is refused rather than mixed into. */
    static Set<String> fileNames() {
        Set<String> names = new java.util.HashSet<>(Set.of(VECTORS, RUN_JSON, README));
        for (RunTable t : RunTable.values()) {
            for (ExportFormat f : ExportFormat.values()) names.add(t.tableName() + "." + f.extension());
        }
        return names;
    }

    private static void checkFolder(Path dir, ExportFormat format) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new ExportInputException(dir + ": exists and is not a folder");
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> entries = Files.list(dir)) {
            List<String> other = entries.map(p -> p.getFileName().toString()).filter(n -> !fileNames().contains(n)).sorted().toList();
            if (!other.isEmpty()) {
                throw new ExportInputException(dir + ": holds files an export does not write (" + String.join(", ", other)
                        + "); choose an empty or new folder with --out");
            }
            // an earlier export in the other format: its tables would sit beside the new ones, so they go
            for (RunTable t : RunTable.values()) {
                for (ExportFormat f : ExportFormat.values()) {
                    if (f != format) Files.deleteIfExists(dir.resolve(t.tableName() + "." + f.extension()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot read the folder: " + e.getMessage(), e);
        }
    }

    private static long table(Store store, RunTable table, long runId, Path file, ExportFormat format,
                              Map<Long, String> tensorOfVector) throws IOException {
        List<RunTable.Column> columns = new ArrayList<>(table.columns());
        int vectorId = columns.indexOf(columns.stream().filter(c -> c.name().equals("vector_id")).findFirst().orElse(null));
        if (tensorOfVector != null) columns.add(VECTOR);
        try (TableFile out = TableFile.open(format, file, columns)) {
            return store.runTables().read(table, runId, row -> {
                if (tensorOfVector == null) {
                    out.write(row);
                    return;
                }
                Object[] withName = java.util.Arrays.copyOf(row, row.length + 1);
                withName[row.length] = row[vectorId] == null ? null : tensorOfVector.get((Long) row[vectorId]);
                out.write(withName);
            });
        }
    }

    private static String runJson(Run run, List<Path> files, int tensors, long predictions, long metrics) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("run", run.id());
        root.put("name", run.name());
        root.put("status", run.status().db());
        root.put("started_at", run.startedAt().toString());
        root.put("finished_at", run.finishedAt() == null ? (String) null : run.finishedAt().toString());
        root.put("code_version", run.codeVersion());
        root.set("engine_versions", JSON.readTree(run.engineVersionsJson()));
        root.put("device", run.device());
        root.put("dtype", run.dtype());
        root.set("settings", JSON.readTree(run.studyJson()));
        root.set("models", JSON.readTree(run.modelsJson()));
        ObjectNode counts = root.putObject("counts");
        counts.put("tensors", tensors);
        counts.put("predictions", predictions);
        counts.put("metrics", metrics);
        ObjectNode hashes = root.putObject("files");
        for (Path f : files) hashes.put(f.getFileName().toString(), sha256(f));
        root.put("exported_at", OffsetDateTime.now().toString());
        return JSON.writeValueAsString(root) + "\n";
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String readme(Run run, ExportFormat format) {
        String read = format == ExportFormat.PARQUET ? "pd.read_parquet" : "pd.read_csv";
        String ext = format.extension();
        return """
                # taskvec run %1$d (%2$s)

                Exported by `taskvec export`. Load it in Python (`pip install safetensors numpy pandas%3$s`):

                ```python
                import json, pandas as pd
                from safetensors import safe_open
                with safe_open("vectors.safetensors", "np") as f:
                    vectors = {name: f.get_tensor(name) for name in f.keys()}                    # name -> [layers, hidden] float32
                    info = {name: json.loads(f.metadata()[name]) for name in f.keys()}          # run, model, task, spec, seed, kind, layers, sha256
                predictions, metrics = %4$s("predictions.%5$s"), %4$s("metrics.%5$s")
                ```

                - `vectors.safetensors`: one tensor per stored vector, named `task/spec/seed{n}/kind[/variant]`; `spec` is the
                  vector's name (`text-examples`, `image-examples`, `instruction`, `ensemble`, `source:...`, `subset-r{r}:...`,
                  `query:image`); kind is `prompt` (one prompt's vector, variant = its item), `mean` (the task vector), `ensemble`,
                  `subset`, `query` or `baseline`. Its metadata gives, per tensor, the layers of its rows and each row's stored SHA-256
                  (over the row's little-endian float32 bytes).
                - `predictions.%5$s`: one row per evaluated query (condition `no_context`, `prompt` or `patch`; `vector` is the
                  patched vector's tensor name).
                - `metrics.%5$s`: every other number of the run (`name`, `keys` as JSON, `value`).
                - `run.json`: the run's settings, models and their file hashes, code and engine versions, and the SHA-256 of these files.
                """.formatted(run.id(), run.name(), format == ExportFormat.PARQUET ? " pyarrow" : "", read, ext);
    }

    /** Reads run.json back (tests, and scripts that check an export). */
    public static JsonNode readRunJson(Path dir) throws IOException {
        return JSON.readTree(dir.resolve(RUN_JSON).toFile());
    }
}
