package taskvec.cli.common;

import picocli.CommandLine.Option;
import taskvec.model.RuntimeSettings;

/** --device and --dtype, shared by every command that runs a model. */
public final class RuntimeOptions {

    @Option(names = "--device", defaultValue = "${env:TASKVEC_DEVICE:-cpu}",
            description = "cpu (default), cuda or cuda:N; CUDA needs a CUDA build of libtorch (see README). Env: TASKVEC_DEVICE.")
    String device;

    @Option(names = "--dtype", defaultValue = "${env:TASKVEC_DTYPE:-auto}",
            description = "float32, float16 or auto (float16 on cuda, float32 on cpu). Env: TASKVEC_DTYPE.")
    String dtype;

    public RuntimeSettings settings() {
        return new RuntimeSettings(device, dtype);
    }
}
