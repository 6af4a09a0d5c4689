package taskvec.model;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;

/**
 * Where and in which precision a model runs.
 *
 * @param device "cpu" (default), "cuda" or "cuda:N"
 * @param dtype  "float32" (default on cpu), "float16", "bfloat16", or "auto" (float16 on cuda, float32 on cpu)
 */
public record RuntimeSettings(String device, String dtype) {

    public static RuntimeSettings defaults() {
        return new RuntimeSettings("cpu", "float32");
    }

    /** The DJL device; an unknown device name is an IllegalArgumentException. */
    public Device djlDevice() {
        String d = device == null ? "cpu" : device.trim().toLowerCase();
        if (d.equals("cpu")) {
            return Device.cpu();
        }
        if (d.equals("cuda") || d.equals("gpu")) {
            return Device.gpu();
        }
        if (d.startsWith("cuda:") || d.startsWith("gpu:")) {
            try {
                return Device.gpu(Integer.parseInt(d.substring(d.indexOf(':') + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("device: '" + device + "' is not cpu, cuda or cuda:N");
            }
        }
        throw new IllegalArgumentException("device: '" + device + "' is not cpu, cuda or cuda:N");
    }

    /** The DJL data type the weights and activations are held in. */
    public DataType djlDataType() {
        String t = dtype == null ? "auto" : dtype.trim().toLowerCase();
        switch (t) {
            case "auto":
                return djlDevice().isGpu() ? DataType.FLOAT16 : DataType.FLOAT32;
            case "float32": case "fp32": case "f32":
                return DataType.FLOAT32;
            case "float16": case "fp16": case "f16": case "half":
                return DataType.FLOAT16;
            case "bfloat16": case "bf16":
                // DJL 0.36's PyTorch JNI aborts the JVM on any BF16 array, so refuse before touching the engine.
                throw new IllegalArgumentException("dtype: bfloat16 cannot be held by the DJL 0.36 PyTorch engine; use float32 or float16");
            default:
                throw new IllegalArgumentException("dtype: '" + dtype + "' is not float32, float16, bfloat16 or auto");
        }
    }
}
