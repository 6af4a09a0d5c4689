package taskvec.model.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint larger than 4 GiB with tensors beyond the 2 GiB and 4 GiB offsets. The big tensors
 * are zeros written as holes, so on a file system with sparse files the test takes well under a
 * second and almost no disk.
 */
class LargeFileTest {

    @TempDir
    Path dir;

    @Test
    void readsTensorsBeyondTwoAndFourGiB() throws Exception {
        Path path = dir.resolve("model.safetensors");
        long twoGiB = 1L << 31;
        float[] first = {1.5f, -2f, 3.25f, 4f, -5.5f, 6f};
        float[] second = {0.5f, -1024f, 7f};
        new SafetensorsWriter()
                .add("head", DType.F32, new long[] {2}, new float[] {11, 12})
                .addZeros("hole.a", DType.F32, new long[] {(twoGiB / 4) + 3}) // 2 GiB + 12 bytes
                .add("beyond.2g", DType.F32, new long[] {2, 3}, first)
                .addZeros("hole.b", DType.U8, new long[] {twoGiB})
                .add("beyond.4g", DType.F16, new long[] {3}, second)
                .add("beyond.4g.ids", DType.I64, new long[] {2}, new long[] {-1, Long.MAX_VALUE})
                .write(path);
        try {
            assertTrue(Files.size(path) > 2 * twoGiB, "file larger than 4 GiB: " + Files.size(path));
            try (CheckpointFiles ckpt = CheckpointFiles.open(dir);
                 NDManager manager = NDManager.newBaseManager("PyTorch")) {
                TensorInfo beyond2 = ckpt.info("beyond.2g");
                assertEquals(8 + twoGiB + 12, beyond2.begin());
                assertTrue(beyond2.begin() > Integer.MAX_VALUE);
                assertArrayEquals(first, ckpt.readFloats("beyond.2g"));
                NDArray loaded = ckpt.load("beyond.2g", manager);
                assertEquals(DataType.FLOAT32, loaded.getDataType());
                assertArrayEquals(first, loaded.toFloatArray());
                assertArrayEquals(new float[] {2.5f, -1f, 4.25f, 5f, -4.5f, 7f}, loaded.add(1).toFloatArray());

                TensorInfo beyond4 = ckpt.info("beyond.4g");
                assertTrue(beyond4.begin() > 2 * twoGiB);
                assertArrayEquals(second, ckpt.readFloats("beyond.4g"));
                assertArrayEquals(second, ckpt.load("beyond.4g", manager).toType(DataType.FLOAT32, false).toFloatArray());
                assertArrayEquals(new long[] {-1, Long.MAX_VALUE}, ckpt.readLongs("beyond.4g.ids"));
                assertArrayEquals(new float[] {11, 12}, ckpt.readFloats("head"));

                SafetensorsLoadException tooBig = assertThrows(SafetensorsLoadException.class, () -> ckpt.map("hole.a"));
                assertEquals(path + ": tensor 'hole.a' is 2147483660 bytes; a single tensor must be smaller than 2 GiB"
                        + " to be mapped", tooBig.getMessage());
                assertThrows(SafetensorsLoadException.class, () -> ckpt.load("hole.b", manager));
            }
        } finally {
            Files.deleteIfExists(path);
        }
    }
}
