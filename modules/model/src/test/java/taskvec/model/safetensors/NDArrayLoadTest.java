package taskvec.model.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NDArrays that wrap memory mappings: values are right, math works (including in-place ops, which
 * would crash the JVM on a READ_ONLY mapping), nothing leaks back into the file, and the wrapped
 * buffer really is the mapping (no copy).
 */
class NDArrayLoadTest {

    @TempDir
    Path dir;

    Path path;
    static final float[] A = {1, 2, 3, 4, 5, 6}; // (2, 3)
    static final float[] B = {0.5f, -1, 2, 0.25f, 3, -2}; // (2, 3)

    @BeforeEach
    void writeFile() {
        path = dir.resolve("w.safetensors");
        new SafetensorsWriter()
                .add("a32", DType.F32, new long[] {2, 3}, A)
                .add("b32", DType.F32, new long[] {2, 3}, B)
                .add("a16", DType.F16, new long[] {2, 3}, A)
                .add("b16", DType.F16, new long[] {2, 3}, B)
                .write(path);
    }

    /** a @ b^T for (2, 3) operands, in double. */
    private static float[] matMulTransposed(float[] a, float[] b) {
        float[] out = new float[4];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                double s = 0;
                for (int k = 0; k < 3; k++) {
                    s += (double) a[i * 3 + k] * b[j * 3 + k];
                }
                out[i * 2 + j] = (float) s;
            }
        }
        return out;
    }

    @Test
    void mathOnMappedF32AndF16Arrays() {
        try (SafetensorsFile file = SafetensorsFile.open(path); NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray a32 = file.load("a32", manager);
            NDArray b32 = file.load("b32", manager);
            assertArrayEquals(new float[] {2, 3, 4, 5, 6, 7}, a32.add(1).toFloatArray());
            NDArray product = a32.matMul(b32.transpose()); // (2, 2)
            assertArrayEquals(new long[] {2, 2}, product.getShape().getShape());
            assertArrayEquals(matMulTransposed(A, B), product.toFloatArray(), 1e-6f);

            NDArray a16 = file.load("a16", manager);
            NDArray b16 = file.load("b16", manager);
            NDArray sum16 = a16.add(1);
            assertEquals(DataType.FLOAT16, sum16.getDataType());
            assertArrayEquals(new float[] {2, 3, 4, 5, 6, 7}, sum16.toType(DataType.FLOAT32, false).toFloatArray());
            NDArray product16 = a16.matMul(b16.transpose()); // (2, 2)
            assertEquals(DataType.FLOAT16, product16.getDataType());
            assertArrayEquals(matMulTransposed(A, B), product16.toType(DataType.FLOAT32, false).toFloatArray(), 1e-2f);
            assertArrayEquals(matMulTransposed(A, B),
                    a16.toType(DataType.FLOAT32, false).matMul(b32.transpose()).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void inPlaceOpsStayPrivateToTheirArray() throws Exception {
        byte[] before = Files.readAllBytes(path);
        try (SafetensorsFile file = SafetensorsFile.open(path); NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray first = file.load("a32", manager);
            first.addi(100); // writes into copy-on-write pages of this array's own mapping
            first.muli(2);
            assertArrayEquals(new float[] {202, 204, 206, 208, 210, 212}, first.toFloatArray());
            NDArray half = file.load("a16", manager);
            half.subi(1);
            assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, half.toType(DataType.FLOAT32, false).toFloatArray());

            assertArrayEquals(A, file.load("a32", manager).toFloatArray(), "a second load sees the file's values");
            assertArrayEquals(A, file.readFloats("a32"));
        }
        assertArrayEquals(before, Files.readAllBytes(path), "the file on disk is unchanged");
    }

    /** Overwrites a tensor's bytes in the file itself (not through any mapping). */
    private static void overwrite(SafetensorsFile file, String name, byte[] bytes) throws Exception {
        try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), file.dataStart() + file.info(name).begin());
        }
    }

    /**
     * The finding about DJL 0.36 that {@link SafetensorsFile#load} relies on: create(direct
     * ByteBuffer) wraps the buffer's memory (torch::from_blob) instead of copying it. Proof: a
     * change written to the file after loading shows in the array, because an untouched page of a
     * PRIVATE mapping is the file's page-cache page on Linux. A copied array would keep the old values.
     */
    @Test
    void f32AndF16ArraysWrapTheMappingWithoutACopy() throws Exception {
        try (SafetensorsFile file = SafetensorsFile.open(path); NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray a32 = file.load("a32", manager);
            NDArray a16 = file.load("a16", manager);
            NDArray b32 = file.load("b32", manager).duplicate(); // an explicit copy
            overwrite(file, "a32", RawFiles.floatsLE(-1, -2, -3, -4, -5, -6));
            overwrite(file, "a16", new byte[] {0, 0x3C, 0, 0x40}); // F16 1.0, 2.0
            overwrite(file, "b32", RawFiles.floatsLE(9, 9));
            assertArrayEquals(new float[] {-1, -2, -3, -4, -5, -6}, a32.toFloatArray(), "F32 wraps the mapping");
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, a16.toType(DataType.FLOAT32, false).toFloatArray(),
                    "F16 wraps the mapping");
            assertArrayEquals(B, b32.toFloatArray(), "a copy does not follow the file");
        }
        new SafetensorsWriter().add("bf", DType.BF16, new long[] {2}, new float[] {1, 2}).write(dir.resolve("bf.safetensors"));
        try (SafetensorsFile bf = SafetensorsFile.open(dir.resolve("bf.safetensors"));
             NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray array = bf.load("bf", manager);
            overwrite(bf, "bf", new byte[] {0, 0, 0, 0});
            assertArrayEquals(new float[] {1, 2}, array.toFloatArray(), "BF16 is converted, so it is a copy");
        }
    }

    @Test
    void arraysOutliveTheClosedFile() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray array;
            try (SafetensorsFile file = SafetensorsFile.open(path)) {
                array = file.load("a32", manager);
            }
            System.gc();
            assertArrayEquals(new float[] {2, 3, 4, 5, 6, 7}, array.add(1).toFloatArray());
        }
    }

    @Test
    void readOnlyFileIsCopiedBeforeReachingDjl() throws Exception {
        try (SafetensorsFile file = SafetensorsFile.open(path, false);
             NDManager manager = NDManager.newBaseManager("PyTorch")) {
            assertTrue(file.map("a32").isReadOnly());
            NDArray array = file.load("a32", manager);
            array.addi(1); // would kill the JVM on a READ_ONLY mapping
            assertArrayEquals(new float[] {2, 3, 4, 5, 6, 7}, array.toFloatArray());
            NDArray untouched = file.load("b32", manager);
            overwrite(file, "b32", RawFiles.floatsLE(9, 9));
            assertArrayEquals(B, untouched.toFloatArray(), "copied, not wrapping the read-only mapping");
        }
    }

    @Test
    void misalignedTensorIsCopiedToAnAlignedBuffer() {
        // header of 61 bytes: the data section starts at byte 69, so an F32 tensor at offset 0 is misaligned
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}";
        header = header + " ".repeat(61 - header.length());
        Path file = RawFiles.write(dir.resolve("odd.safetensors"), header, RawFiles.floatsLE(1, 2, 3, 4));
        try (SafetensorsFile st = SafetensorsFile.open(file); NDManager manager = NDManager.newBaseManager("PyTorch")) {
            assertEquals(69, st.dataStart());
            NDArray w = st.load("w", manager);
            assertArrayEquals(new float[] {1, 2, 3, 4}, w.toFloatArray());
            assertArrayEquals(new float[] {7, 10, 15, 22}, w.matMul(w).toFloatArray());
        }
    }

    @Test
    void largeConvertedTensorsAreBuiltFromPieces() {
        Path file = dir.resolve("pieces.safetensors");
        float[] values = new float[12];
        for (int i = 0; i < values.length; i++) {
            values[i] = i - 5.5f;
        }
        new SafetensorsWriter()
                .add("bf16", DType.BF16, new long[] {3, 4}, values)
                .add("i16", DType.I16, new long[] {2, 3, 2}, new int[] {-6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 32767})
                .add("u32", DType.U32, new long[] {12}, new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0xFFFFFFFFL})
                .write(file);
        try (SafetensorsFile st = SafetensorsFile.open(file); NDManager manager = NDManager.newBaseManager("PyTorch")) {
            for (int chunk : new int[] {5, 12, 1 << 20}) {
                NDArray bf16 = st.load("bf16", manager, chunk);
                assertEquals(DataType.FLOAT32, bf16.getDataType());
                assertArrayEquals(new long[] {3, 4}, bf16.getShape().getShape());
                assertArrayEquals(values, bf16.toFloatArray());
                assertArrayEquals(new float[] {-4.5f, -0.5f, 3.5f}, bf16.add(1).get(":, 0").toFloatArray());
                NDArray i16 = st.load("i16", manager, chunk);
                assertArrayEquals(new long[] {2, 3, 2}, i16.getShape().getShape());
                assertArrayEquals(st.readInts("i16"), i16.toIntArray());
                assertArrayEquals(st.readLongs("u32"), st.load("u32", manager, chunk).toLongArray());
            }
            System.gc(); // the pieces' buffers may go: the joined array owns its memory
            assertArrayEquals(values, st.load("bf16", manager, 5).toFloatArray());
        }
    }

    @Test
    void mapReturnsIndependentViewsOfOneCachedMapping() {
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            ByteBuffer first = file.map("a32");
            ByteBuffer second = file.map("a32");
            assertNotSame(first, second);
            first.position(8);
            assertEquals(0, second.position());
            assertEquals(24, second.remaining());
            assertEquals(1f, second.getFloat(0));
            assertEquals(6f, second.getFloat(20), "little-endian");
            assertTrue(second.isDirect());
        }
    }
}
