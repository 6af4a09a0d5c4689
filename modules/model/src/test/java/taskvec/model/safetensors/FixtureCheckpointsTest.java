package taskvec.model.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Reads the golden fixtures' checkpoints (F32, BF16, sharded F16) and expected values (F64). The
 * pinned numbers were read from the same files with numpy, independently of this reader.
 */
class FixtureCheckpointsTest {

    static final Path FIXTURES = Path.of("src/test/resources/fixtures");

    @Test
    void readsF32SingleFileCheckpointWithLegacyNames() {
        try (CheckpointFiles ckpt = CheckpointFiles.open(FIXTURES.resolve("llava-clip-llama/model"));
             NDManager manager = NDManager.newBaseManager("PyTorch")) {
            assertFalse(ckpt.sharded());
            assertEquals(List.of(FIXTURES.resolve("llava-clip-llama/model/model.safetensors")), ckpt.files());
            assertEquals(99 - 1, ckpt.names().size()); // 99 header keys, one is __metadata__
            assertEquals("language_model.lm_head.weight", ckpt.names().iterator().next());

            String norm = "language_model.model.layers.0.input_layernorm.weight";
            TensorInfo info = ckpt.info(norm);
            assertEquals(DType.F32, info.dtype());
            assertArrayEquals(new long[] {64}, info.shape());
            assertEquals(49152, info.begin());
            assertEquals(49408, info.end());
            float[] values = ckpt.readFloats(norm);
            assertEquals(0.9954942464828491f, values[0]);
            assertEquals(0.841910183429718f, values[1]);
            assertEquals(0.8934206366539001f, values[63]);
            assertEquals(63.13246822357178, sum(values), 1e-9);

            String head = "language_model.lm_head.weight";
            NDArray weight = ckpt.load(head, manager);
            assertEquals(DataType.FLOAT32, weight.getDataType());
            assertArrayEquals(new long[] {96, 64}, weight.getShape().getShape());
            assertArrayEquals(ckpt.readFloats(head), weight.toFloatArray());
            assertEquals(-4.153733509949234, weight.sum().getFloat(), 1e-4);

            SafetensorsFile file = SafetensorsFile.open(ckpt.files().get(0));
            assertEquals("pt", file.metadata().get("format"));
            file.close();
        }
    }

    @Test
    void readsBf16CheckpointAsF32() {
        try (CheckpointFiles ckpt = CheckpointFiles.open(FIXTURES.resolve("llava-siglip-qwen2/model"));
             NDManager manager = NDManager.newBaseManager("PyTorch")) {
            assertEquals(80 - 1, ckpt.names().size()); // 80 header keys, one is __metadata__
            assertFalse(ckpt.has("lm_head.weight"), "tied embeddings: no lm_head stored");
            String embed = "model.language_model.embed_tokens.weight";
            assertEquals(DType.BF16, ckpt.info(embed).dtype());
            float[] values = ckpt.readFloats(embed);
            assertEquals(3840, values.length);
            assertEquals(0.93359375f, values[0]);
            assertEquals(-0.134765625f, values[1]);
            assertEquals(-1.1015625f, values[2]);
            assertEquals(-0.6796875f, values[3839]);
            assertEquals(6.294101715087891, sum(values), 1e-9);

            NDArray weight = ckpt.load(embed, manager);
            assertEquals(DataType.FLOAT32, weight.getDataType(), "BF16 must arrive as F32");
            assertArrayEquals(new long[] {80, 48}, weight.getShape().getShape());
            assertArrayEquals(values, weight.toFloatArray());
        }
    }

    @Test
    void readsShardedF16Checkpoint() {
        Path dir = FIXTURES.resolve("llama-sharded/model");
        try (CheckpointFiles ckpt = CheckpointFiles.open(dir);
             NDManager manager = NDManager.newBaseManager("PyTorch")) {
            assertTrue(ckpt.sharded());
            assertEquals(List.of(dir.resolve("model-00001-of-00002.safetensors"),
                    dir.resolve("model-00002-of-00002.safetensors")), ckpt.files());
            assertEquals(39, ckpt.names().size());
            assertEquals(dir.resolve("model-00001-of-00002.safetensors"), ckpt.fileOf("lm_head.weight"));
            assertEquals(dir.resolve("model-00002-of-00002.safetensors"), ckpt.fileOf("model.embed_tokens.weight"));
            ckpt.validate();

            float[] head = ckpt.readFloats("lm_head.weight");
            assertEquals(-0.253173828125f, head[0]);
            assertEquals(0.29296875f, head[1]);
            assertEquals(0.354736328125f, head[6143]);
            assertEquals(-32.4100900888443, sum(head), 1e-9);

            float[] embed = ckpt.readFloats("model.embed_tokens.weight");
            assertEquals(0.10699462890625f, embed[0]);
            assertEquals(-1.6318359375f, embed[1]);
            assertEquals(-109.87880438566208, sum(embed), 1e-9);

            NDArray weight = ckpt.load("model.embed_tokens.weight", manager);
            assertEquals(DataType.FLOAT16, weight.getDataType());
            assertArrayEquals(embed, weight.toType(DataType.FLOAT32, false).toFloatArray());
        }
    }

    @Test
    void readsExpectedValuesAsF64() {
        try (SafetensorsFile expected = SafetensorsFile.open(FIXTURES.resolve("llama-sharded/expected.safetensors"))) {
            assertEquals(12, expected.names().size());
            assertEquals("text/layer_out", expected.names().get(0));
            assertTrue(expected.metadata().isEmpty());
            TensorInfo info = expected.info("text/logits");
            assertEquals(DType.F64, info.dtype());
            assertArrayEquals(new long[] {23, 96}, info.shape());
            double[] logits = expected.readDoubles("text/logits");
            assertEquals(-1.3689085180026077, logits[0]);
            assertEquals(1.7082108897877728, logits[1]);
            assertEquals(1.43082512836038, logits[2207]);
            double total = 0;
            for (double v : logits) {
                total += v;
            }
            assertEquals(123.83496966387774, total, 1e-9);
            assertEquals((float) -1.3689085180026077, expected.readFloats("text/logits")[0]);
        }
    }

    @Test
    void everyFixtureTensorLoadsAndMatchesItsJavaValues() {
        for (String name : Set.of("llava-clip-llama", "llava-siglip-qwen2", "llama-sharded")) {
            try (CheckpointFiles ckpt = CheckpointFiles.open(FIXTURES.resolve(name).resolve("model"));
                 NDManager manager = NDManager.newBaseManager("PyTorch")) {
                for (String tensor : ckpt.names()) {
                    NDArray array = ckpt.load(tensor, manager);
                    assertArrayEquals(ckpt.info(tensor).shape(), array.getShape().getShape(), tensor);
                    assertArrayEquals(ckpt.readFloats(tensor),
                            array.toType(DataType.FLOAT32, false).toFloatArray(), tensor);
                }
            }
        }
    }

    private static double sum(float[] values) {
        double s = 0;
        for (float v : values) {
            s += v;
        }
        return s;
    }
}
