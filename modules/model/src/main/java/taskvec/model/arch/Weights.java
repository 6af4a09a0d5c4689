package taskvec.model.arch;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import taskvec.model.ModelLoadException;
import taskvec.model.safetensors.CheckpointFiles;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checkpoint's tensors as the architectures take them: each tensor is checked for presence and shape,
 * converted to the runtime dtype and moved to the device. Remembers what was taken, so the tensors nobody
 * used can be reported.
 */
public final class Weights {

    private final CheckpointFiles checkpoint;
    private final Path modelDir;
    private final NDManager manager;
    private final DataType dtype;
    private final Device device;
    private final Set<String> taken = new LinkedHashSet<>();
    private long parameterCount;

    public Weights(CheckpointFiles checkpoint, Path modelDir, NDManager manager, DataType dtype, Device device) {
        this.checkpoint = checkpoint;
        this.modelDir = modelDir;
        this.manager = manager;
        this.dtype = dtype;
        this.device = device;
    }

    public NDManager manager() {
        return manager;
    }

    public DataType dtype() {
        return dtype;
    }

    public boolean has(String name) {
        return checkpoint.has(name);
    }

    /** The tensor, which must exist with exactly this shape. */
    public NDArray take(String name, long... shape) {
        if (!checkpoint.has(name)) {
            throw new ModelLoadException(modelDir + ": tensor '" + name + "' is missing from the checkpoint ("
                    + fileList() + ") but the config needs it with shape " + Arrays.toString(shape));
        }
        long[] actual = checkpoint.info(name).shape();
        if (!Arrays.equals(actual, shape)) {
            throw new ModelLoadException(modelDir + ": tensor '" + name + "' has shape " + Arrays.toString(actual)
                    + " in the checkpoint (" + fileList() + ") but the config needs " + Arrays.toString(shape));
        }
        taken.add(name);
        NDArray raw = checkpoint.load(name, manager);
        NDArray converted = raw.toType(dtype, false).toDevice(device, false);
        if (converted != raw) {
            // the loaded array may be a file mapping; the converted copy is what the model keeps
            raw.close();
        }
        converted.attach(manager);
        parameterCount += converted.size();
        return converted;
    }

    /** The tensor if the checkpoint has it, else null. */
    public NDArray takeIfPresent(String name, long... shape) {
        return checkpoint.has(name) ? take(name, shape) : null;
    }

    /** Tensors of the checkpoint no architecture asked for. */
    public Set<String> unused() {
        Set<String> rest = new TreeSet<>(checkpoint.names());
        rest.removeAll(taken);
        return rest;
    }

    public long parameterCount() {
        return parameterCount;
    }

    private String fileList() {
        StringBuilder sb = new StringBuilder();
        for (Path f : checkpoint.files()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(f.getFileName());
        }
        return sb.toString();
    }
}
