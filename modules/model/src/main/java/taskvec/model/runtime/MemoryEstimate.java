package taskvec.model.runtime;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import taskvec.model.config.TextConfig;
import taskvec.model.files.ModelFolder;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Memory a model needs to run in a dtype, estimated from its config and safetensors headers before anything is
 * loaded: every stored value in the runtime dtype, plus the working set of one batch of prompts: the key/value
 * cache, one layer's attention scores and MLP activations, the last position's logits (float32).
 *
 * @param weightBytes  the weights as the runtime holds them
 * @param workingBytes the working set of {@code batch} prompts of {@code tokens} tokens
 */
public record MemoryEstimate(long weightBytes, long workingBytes, String dtype, int tokens, int batch) {

    /** The context the estimate assumes unless told otherwise: the longest prompts a study builds are far shorter. */
    public static final int DEFAULT_TOKENS = 2048;

    public static MemoryEstimate of(ModelFolder.Checked folder, DataType dtype, int tokens, int batch) {
        int bytes = dtype.getNumOfBytes();
        TextConfig t = folder.config().text();
        long kv = 2L * t.numLayers() * tokens * t.numKvHeads() * t.headDim() * bytes;
        long scores = (long) t.numHeads() * tokens * tokens * bytes;
        long mlp = 3L * tokens * t.intermediateSize() * bytes;
        long residual = 4L * tokens * t.hiddenSize() * bytes;
        long logits = 4L * t.vocabSize();
        return new MemoryEstimate(folder.storedValues() * bytes, (long) batch * (kv + scores + mlp + residual + logits),
                dtype.name().toLowerCase(Locale.ROOT), tokens, batch);
    }

    public long totalBytes() {
        return weightBytes + workingBytes;
    }

    /** "13.5 GiB (weights 12.6 GiB + 0.9 GiB for 1 x 2048 tokens)". */
    public String describe() {
        return gib(totalBytes()) + " (weights " + gib(weightBytes) + " + " + gib(workingBytes) + " for " + batch + " x "
                + tokens + " tokens)";
    }

    public static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
    }

    /** The memory of a device: a GPU's total memory as CUDA reports it, else the machine's physical memory. */
    public static long deviceBytes(Device device) {
        if (device.isGpu()) {
            return ai.djl.util.cuda.CudaUtils.getGpuMemory(device).getMax();
        }
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize();
        }
        return Long.MAX_VALUE;
    }
}
