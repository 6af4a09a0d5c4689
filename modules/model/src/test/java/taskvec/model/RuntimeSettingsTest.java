package taskvec.model;

import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;
import taskvec.model.hooks.Capture;
import taskvec.model.runtime.LoadedModel;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class RuntimeSettingsTest {

    @Test
    void parsesDevicesAndDtypes() {
        assertEquals(DataType.FLOAT32, RuntimeSettings.defaults().djlDataType());
        assertEquals(ai.djl.Device.cpu(), RuntimeSettings.defaults().djlDevice());
        assertEquals(DataType.FLOAT32, new RuntimeSettings("cpu", "auto").djlDataType());
        assertEquals(DataType.FLOAT16, new RuntimeSettings("cpu", "float16").djlDataType());
        assertEquals(1, new RuntimeSettings("cuda:1", "float32").djlDevice().getDeviceId());
        assertTrue(new RuntimeSettings("cuda", "float32").djlDevice().isGpu());
        assertThrows(IllegalArgumentException.class, () -> new RuntimeSettings("tpu", "float32").djlDevice());
        assertThrows(IllegalArgumentException.class, () -> new RuntimeSettings("cuda:x", "float32").djlDevice());
        assertThrows(IllegalArgumentException.class, () -> new RuntimeSettings("cpu", "int8").djlDataType());
        assertThrows(IllegalArgumentException.class, () -> new RuntimeSettings("cpu", "bfloat16").djlDataType());
    }

    @Test
    void aMissingGpuIsAClearError() {
        if (ai.djl.engine.Engine.getEngine("PyTorch").getGpuCount() > 0) {
            return; // a GPU machine: nothing to refuse
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoadedModel.load(
                Path.of("src/test/resources/fixtures/llama-sharded/model"), new RuntimeSettings("cuda", "auto")));
        assertTrue(e.getMessage().contains("CUDA"), e.getMessage());
    }

    @Test
    void float16RunsCloseToFloat32() {
        Path dir = Path.of("src/test/resources/fixtures/llama-sharded/model");
        int[] ids = {1, 3, 4, 20, 59, 19, 53, 19, 52, 73, 30, 81, 5, 4};
        Row row = new Row(new EncodedPrompt(ids, null, List.of()), List.of(),
                List.of(Capture.residPost(3, ids.length - 1)), 0, Set.of());
        float[] full;
        float[] half;
        try (LoadedModel m = LoadedModel.load(dir, RuntimeSettings.defaults())) {
            full = m.run(List.of(row)).get(0).lastLogits();
        }
        try (LoadedModel m = LoadedModel.load(dir, new RuntimeSettings("cpu", "float16"))) {
            assertEquals("float16", m.info().dtype());
            RowResult r = m.run(List.of(row)).get(0);
            half = r.lastLogits();
            assertEquals(m.hiddenSize(), r.captured().get(Capture.residPost(3, ids.length - 1)).length);
        }
        for (int i = 0; i < full.length; i++) {
            assertEquals(full[i], half[i], 0.02 + 0.01 * Math.abs(full[i]), "logit " + i);
        }
    }
}
