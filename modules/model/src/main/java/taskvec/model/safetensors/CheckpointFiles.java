package taskvec.model.safetensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The safetensors weights of a Hugging Face model folder: either one {@code model.safetensors}, or
 * the shards that {@code model.safetensors.index.json} lists in its {@code weight_map}. Tensors are
 * looked up by name across all files; a shard is opened (its header read) only when one of its
 * tensors is first needed.
 */
public final class CheckpointFiles implements AutoCloseable {

    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Path modelDir;
    /** The index file, or null for a single-file checkpoint. */
    private final Path index;
    /** Tensor name to the file holding it, in index (or header) order. */
    private final Map<String, Path> fileOfTensor;
    private final List<Path> files;
    private final Map<Path, SafetensorsFile> opened = new HashMap<>();
    private boolean closed;

    private CheckpointFiles(Path modelDir, Path index, Map<String, Path> fileOfTensor, List<Path> files) {
        this.modelDir = modelDir;
        this.index = index;
        this.fileOfTensor = fileOfTensor;
        this.files = files;
    }

    /**
     * Finds the weights of {@code modelDir}: {@code model.safetensors} if present (as Hugging Face
     * prefers it), else {@code model.safetensors.index.json} and the shards it names, which must all
     * exist.
     *
     * @throws SafetensorsLoadException naming the folder or file and the problem
     */
    public static CheckpointFiles open(Path modelDir) {
        if (!Files.exists(modelDir)) {
            throw new SafetensorsLoadException(modelDir + ": model folder does not exist");
        }
        if (!Files.isDirectory(modelDir)) {
            throw new SafetensorsLoadException(modelDir + ": not a folder (expected a model folder holding "
                    + SINGLE_FILE + " or " + INDEX_FILE + ")");
        }
        Path single = modelDir.resolve(SINGLE_FILE);
        if (Files.isRegularFile(single)) {
            SafetensorsFile file = SafetensorsFile.open(single);
            Map<String, Path> fileOfTensor = new LinkedHashMap<>();
            for (String name : file.names()) {
                fileOfTensor.put(name, single);
            }
            CheckpointFiles checkpoint = new CheckpointFiles(modelDir, null,
                    Collections.unmodifiableMap(fileOfTensor), List.of(single));
            checkpoint.opened.put(single, file);
            return checkpoint;
        }
        Path index = modelDir.resolve(INDEX_FILE);
        if (Files.isRegularFile(index)) {
            return openIndex(modelDir, index);
        }
        throw new SafetensorsLoadException(modelDir + ": no weights found: expected " + SINGLE_FILE
                + " or " + INDEX_FILE + " in this folder");
    }

    private static CheckpointFiles openIndex(Path modelDir, Path index) {
        JsonNode root;
        try {
            root = JSON.readTree(index.toFile());
        } catch (IOException e) {
            throw new SafetensorsLoadException(index + ": not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsLoadException(index + ": not a JSON object");
        }
        JsonNode weightMap = root.get("weight_map");
        if (weightMap == null || !weightMap.isObject()) {
            throw new SafetensorsLoadException(index + ": has no weight_map object");
        }
        if (weightMap.isEmpty()) {
            throw new SafetensorsLoadException(index + ": weight_map lists no tensors");
        }
        Path base = modelDir.toAbsolutePath().normalize();
        Map<String, Path> fileOfTensor = new LinkedHashMap<>();
        Map<String, Path> shards = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : weightMap.properties()) {
            JsonNode shardName = entry.getValue();
            if (!shardName.isTextual() || shardName.textValue().isEmpty()) {
                throw new SafetensorsLoadException(index + ": weight_map entry for '" + entry.getKey()
                        + "' is not a file name: " + shardName);
            }
            Path shard = shards.computeIfAbsent(shardName.textValue(), s -> modelDir.resolve(s).normalize());
            if (!shard.toAbsolutePath().normalize().startsWith(base)) {
                throw new SafetensorsLoadException(index + ": shard '" + shardName.textValue()
                        + "' lies outside the model folder");
            }
            fileOfTensor.put(entry.getKey(), shard);
        }
        for (Map.Entry<String, Path> shard : shards.entrySet()) {
            if (!Files.isRegularFile(shard.getValue())) {
                long tensors = fileOfTensor.values().stream().filter(shard.getValue()::equals).count();
                throw new SafetensorsLoadException(index + ": shard '" + shard.getKey() + "' (holding " + tensors
                        + " tensors) is missing from " + modelDir);
            }
        }
        return new CheckpointFiles(modelDir, index, Collections.unmodifiableMap(fileOfTensor),
                List.copyOf(shards.values()));
    }

    public Path modelDir() {
        return modelDir;
    }

    /** The safetensors files, in the order the index first names them. */
    public List<Path> files() {
        return files;
    }

    /** True when the weights are sharded (read through {@value #INDEX_FILE}). */
    public boolean sharded() {
        return index != null;
    }

    /** Every tensor name, in index (or header) order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(fileOfTensor.keySet()));
    }

    public boolean has(String name) {
        return fileOfTensor.containsKey(name);
    }

    /** The file that holds {@code name}. */
    public Path fileOf(String name) {
        Path file = fileOfTensor.get(name);
        if (file == null) {
            throw new SafetensorsLoadException(modelDir + ": the checkpoint has no tensor '" + name + "' (looked in "
                    + (index != null ? index.getFileName() : SINGLE_FILE) + ")");
        }
        return file;
    }

    public TensorInfo info(String name) {
        return fileHolding(name).info(name);
    }

    /** See {@link SafetensorsFile#load}: F32/F16 without a copy, BF16 widened to F32 in Java. */
    public NDArray load(String name, NDManager manager) {
        return fileHolding(name).load(name, manager);
    }

    public float[] readFloats(String name) {
        return fileHolding(name).readFloats(name);
    }

    public double[] readDoubles(String name) {
        return fileHolding(name).readDoubles(name);
    }

    public long[] readLongs(String name) {
        return fileHolding(name).readLongs(name);
    }

    public int[] readInts(String name) {
        return fileHolding(name).readInts(name);
    }

    public ByteBuffer map(String name) {
        return fileHolding(name).map(name);
    }

    /**
     * Opens every file now and checks that the index and the shards agree: each tensor the index
     * names is in its shard, and no shard holds a tensor the index does not name.
     */
    public void validate() {
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            SafetensorsFile opened = file(file);
            for (String name : opened.names()) {
                if (!file.equals(fileOfTensor.get(name))) {
                    problems.add(file.getFileName() + " holds '" + name + "', which "
                            + (fileOfTensor.containsKey(name) ? "the index maps to "
                            + fileOfTensor.get(name).getFileName() : "the index does not list"));
                }
            }
        }
        for (String name : fileOfTensor.keySet()) {
            fileHolding(name);
        }
        if (!problems.isEmpty()) {
            throw new SafetensorsLoadException(index + ": does not match its shards: " + String.join("; ", problems));
        }
    }

    private SafetensorsFile fileHolding(String name) {
        Path path = fileOf(name);
        SafetensorsFile file = file(path);
        if (!file.has(name)) {
            throw new SafetensorsLoadException(index + ": maps tensor '" + name + "' to shard '"
                    + path.getFileName() + "', but that shard does not contain it");
        }
        return file;
    }

    private synchronized SafetensorsFile file(Path path) {
        if (closed) {
            throw new IllegalStateException(modelDir + ": checkpoint is closed");
        }
        return opened.computeIfAbsent(path, SafetensorsFile::open);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            opened.values().forEach(SafetensorsFile::close);
            opened.clear();
        }
    }

    @Override
    public String toString() {
        return "CheckpointFiles[" + modelDir + ", " + files.size() + " file(s), " + fileOfTensor.size() + " tensors]";
    }
}
