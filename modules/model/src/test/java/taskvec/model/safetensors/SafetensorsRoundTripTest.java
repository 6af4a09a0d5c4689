package taskvec.model.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writer then reader, for every dtype, through the Java read methods and through DJL. */
class SafetensorsRoundTripTest {

    @TempDir
    Path dir;

    /** Exactly representable in F16 (and so in BF16 only where noted), including both ends of the range. */
    static final float[] F16_EXACT = {0f, -0f, 1f, -2.25f, 0.5f, 1024f, 65504f, -65504f, 0x1p-24f, 0x1p-14f,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    static final float[] BF16_EXACT = {0f, -0f, 1f, -2.25f, 0.5f, 0x1.fep127f, 0x1p-126f, -1024f,
        Float.POSITIVE_INFINITY, 0x1p-133f};
    static final float[] F32_VALUES = {0f, -0f, 1f, (float) Math.PI, -1e-30f, 3.4e38f, Float.MIN_VALUE,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    static final double[] F64_VALUES = {0, -0.0, Math.PI, -1e-300, 1.7e308, Double.MIN_VALUE, Math.E};

    @Test
    void floatDtypesRoundTrip() {
        Path path = dir.resolve("floats.safetensors");
        new SafetensorsWriter()
                .metadata("format", "pt")
                .add("f32", DType.F32, new long[] {3, 3}, F32_VALUES)
                .add("f16", DType.F16, new long[] {2, 6}, F16_EXACT)
                .add("bf16", DType.BF16, new long[] {10}, BF16_EXACT)
                .add("f64", DType.F64, new long[] {7}, F64_VALUES)
                .add("f64.from.floats", DType.F64, new long[] {3}, new float[] {0.1f, -2f, 7f})
                .add("f32.from.doubles", DType.F32, new long[] {2}, new double[] {0.1, 1e40})
                .add("nan", DType.F16, new long[] {}, new float[] {Float.NaN})
                .write(path);
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertEquals(Map.of("format", "pt"), file.metadata());
            assertEquals(List.of("f32", "f16", "bf16", "f64", "f64.from.floats", "f32.from.doubles", "nan"), file.names());
            assertEquals(0, file.dataStart() % 8, "header padded to 8 bytes");
            assertArrayEquals(F32_VALUES, file.readFloats("f32"));
            assertArrayEquals(F16_EXACT, file.readFloats("f16"));
            assertArrayEquals(BF16_EXACT, file.readFloats("bf16"));
            assertArrayEquals(F64_VALUES, file.readDoubles("f64"));
            assertArrayEquals(new double[] {0.1f, -2f, 7f}, file.readDoubles("f64.from.floats"));
            assertArrayEquals(new float[] {0.1f, Float.POSITIVE_INFINITY}, file.readFloats("f32.from.doubles"));
            assertArrayEquals(new double[] {1, -2.25, 0.5}, copyOfRange(file.readDoubles("f16"), 2, 5));
            assertTrue(Float.isNaN(file.readFloats("nan")[0]));
            assertEquals(0, file.info("nan").rank());
            assertArrayEquals(new long[] {2, 6}, file.info("f16").shape());
        }
    }

    @Test
    void floatsNarrowWithRoundingToNearestEven() {
        Path path = dir.resolve("narrow.safetensors");
        float[] values = {0.1f, 1f / 3, 65519f, 65520f, 1e-8f};
        new SafetensorsWriter()
                .add("f16", DType.F16, new long[] {5}, values)
                .add("bf16", DType.BF16, new long[] {5}, values)
                .write(path);
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            float[] f16 = file.readFloats("f16");
            assertEquals(0.0999755859375f, f16[0]); // numpy: float16(0.1)
            assertEquals(0.333251953125f, f16[1]);
            assertEquals(65504f, f16[2]);
            assertEquals(Float.POSITIVE_INFINITY, f16[3]);
            assertEquals(0f, f16[4]);
            float[] bf16 = file.readFloats("bf16");
            assertEquals(0.10009765625f, bf16[0]);
            assertEquals(0.333984375f, bf16[1]);
            assertEquals(65536f, bf16[2]);
        }
    }

    @Test
    void integerDtypesRoundTrip() {
        Path path = dir.resolve("ints.safetensors");
        long[] i64 = {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE};
        new SafetensorsWriter()
                .add("i64", DType.I64, new long[] {5}, i64)
                .add("i32", DType.I32, new long[] {4}, new int[] {Integer.MIN_VALUE, -7, 0, Integer.MAX_VALUE})
                .add("i16", DType.I16, new long[] {3}, new int[] {-32768, 5, 32767})
                .add("u16", DType.U16, new long[] {3}, new int[] {0, 40000, 65535})
                .add("i8", DType.I8, new long[] {3}, new int[] {-128, 0, 127})
                .add("u8", DType.U8, new long[] {3}, new int[] {0, 128, 255})
                .add("u32", DType.U32, new long[] {3}, new long[] {0, 3_000_000_000L, 0xFFFFFFFFL})
                .add("u64", DType.U64, new long[] {2}, new long[] {0, Long.MAX_VALUE})
                .add("bool", DType.BOOL, new long[] {4}, new int[] {1, 0, 0, 1})
                .add("ids", DType.I64, new long[] {1, 3}, new long[] {1, 32000, 5})
                .write(path);
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertArrayEquals(i64, file.readLongs("i64"));
            assertArrayEquals(new int[] {Integer.MIN_VALUE, -7, 0, Integer.MAX_VALUE}, file.readInts("i32"));
            assertArrayEquals(new long[] {Integer.MIN_VALUE, -7, 0, Integer.MAX_VALUE}, file.readLongs("i32"));
            assertArrayEquals(new int[] {-32768, 5, 32767}, file.readInts("i16"));
            assertArrayEquals(new int[] {0, 40000, 65535}, file.readInts("u16"));
            assertArrayEquals(new int[] {-128, 0, 127}, file.readInts("i8"));
            assertArrayEquals(new int[] {0, 128, 255}, file.readInts("u8"));
            assertArrayEquals(new long[] {0, 3_000_000_000L, 0xFFFFFFFFL}, file.readLongs("u32"));
            assertArrayEquals(new long[] {0, Long.MAX_VALUE}, file.readLongs("u64"));
            assertArrayEquals(new int[] {1, 0, 0, 1}, file.readInts("bool"));
            assertArrayEquals(new int[] {1, 32000, 5}, file.readInts("ids"), "I64 read as ints when they fit");

            SafetensorsLoadException e = assertThrows(SafetensorsLoadException.class, () -> file.readInts("u32"));
            assertEquals(path + ": tensor 'u32' (U32): element 1 = 3000000000 does not fit in a Java int", e.getMessage());
            e = assertThrows(SafetensorsLoadException.class, () -> file.readInts("i64"));
            assertTrue(e.getMessage().endsWith("element 0 = -9223372036854775808 does not fit in a Java int"));
            e = assertThrows(SafetensorsLoadException.class, () -> file.readLongs("f"));
            assertEquals(path + ": no tensor 'f' in this file", e.getMessage());
        }
    }

    @Test
    void u64AboveLongMaxIsAnError() {
        byte[] data = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        Path path = RawFiles.write(dir.resolve("u64.safetensors"),
                "{\"big\":{\"dtype\":\"U64\",\"shape\":[1],\"data_offsets\":[0,8]}}", data);
        try (SafetensorsFile file = SafetensorsFile.open(path); NDManager manager = NDManager.newBaseManager("PyTorch")) {
            SafetensorsLoadException e = assertThrows(SafetensorsLoadException.class, () -> file.readLongs("big"));
            assertEquals(path + ": tensor 'big' (U64): element 0 = 18446744073709551615 does not fit in a Java long",
                    e.getMessage());
            assertThrows(SafetensorsLoadException.class, () -> file.load("big", manager));
        }
    }

    @Test
    void f8TensorsReadAsFloats() {
        Path path = RawFiles.write(dir.resolve("f8.safetensors"),
                "{\"e4m3\":{\"dtype\":\"F8_E4M3\",\"shape\":[3],\"data_offsets\":[0,3]},"
                        + "\"e5m2\":{\"dtype\":\"F8_E5M2\",\"shape\":[3],\"data_offsets\":[3,6]}}",
                new byte[] {0x38, (byte) 0xB8, 0x7E, 0x3C, 0x7B, 0x01});
        try (SafetensorsFile file = SafetensorsFile.open(path); NDManager manager = NDManager.newBaseManager("PyTorch")) {
            assertArrayEquals(new float[] {1, -1, 448}, file.readFloats("e4m3"));
            assertArrayEquals(new float[] {1, 57344, 0x1p-16f}, file.readFloats("e5m2"));
            NDArray e4m3 = file.load("e4m3", manager);
            assertEquals(DataType.FLOAT32, e4m3.getDataType());
            assertArrayEquals(new float[] {1, -1, 448}, e4m3.toFloatArray());
        }
    }

    @Test
    void everyDtypeLoadsIntoDjlAsASafeType() {
        Path path = dir.resolve("all.safetensors");
        new SafetensorsWriter()
                .add("F32", DType.F32, new long[] {2, 2}, new float[] {1, -2, 3.5f, 4})
                .add("F16", DType.F16, new long[] {2, 2}, new float[] {1, -2, 3.5f, 65504})
                .add("BF16", DType.BF16, new long[] {2, 2}, new float[] {1, -2, 3.5f, 1e30f})
                .add("F64", DType.F64, new long[] {2}, new double[] {Math.PI, -1e-300})
                .add("I64", DType.I64, new long[] {2}, new long[] {Long.MIN_VALUE, 42})
                .add("I32", DType.I32, new long[] {2}, new int[] {-5, Integer.MAX_VALUE})
                .add("I16", DType.I16, new long[] {2}, new int[] {-32768, 7})
                .add("U16", DType.U16, new long[] {2}, new int[] {65535, 7})
                .add("I8", DType.I8, new long[] {2}, new int[] {-128, 127})
                .add("U8", DType.U8, new long[] {2}, new int[] {0, 255})
                .add("U32", DType.U32, new long[] {2}, new long[] {0xFFFFFFFFL, 1})
                .add("U64", DType.U64, new long[] {2}, new long[] {Long.MAX_VALUE, 1})
                .add("BOOL", DType.BOOL, new long[] {3}, new int[] {1, 0, 1})
                .add("scalar", DType.F32, new long[] {}, new float[] {9})
                .addZeros("empty", DType.F32, new long[] {0, 4})
                .write(path);
        try (SafetensorsFile file = SafetensorsFile.open(path); NDManager manager = NDManager.newBaseManager("PyTorch")) {
            check(file.load("F32", manager), DataType.FLOAT32, 2, 2);
            assertArrayEquals(new float[] {1, -2, 3.5f, 4}, file.load("F32", manager).toFloatArray());
            NDArray f16 = file.load("F16", manager);
            check(f16, DataType.FLOAT16, 2, 2);
            assertArrayEquals(new float[] {1, -2, 3.5f, 65504}, f16.toType(DataType.FLOAT32, false).toFloatArray());
            NDArray bf16 = file.load("BF16", manager);
            check(bf16, DataType.FLOAT32, 2, 2);
            assertArrayEquals(file.readFloats("BF16"), bf16.toFloatArray());
            assertArrayEquals(new double[] {Math.PI, -1e-300}, check(file.load("F64", manager), DataType.FLOAT64, 2).toDoubleArray());
            assertArrayEquals(new long[] {Long.MIN_VALUE, 42}, check(file.load("I64", manager), DataType.INT64, 2).toLongArray());
            assertArrayEquals(new int[] {-5, Integer.MAX_VALUE}, check(file.load("I32", manager), DataType.INT32, 2).toIntArray());
            assertArrayEquals(new int[] {-32768, 7}, check(file.load("I16", manager), DataType.INT32, 2).toIntArray());
            assertArrayEquals(new int[] {65535, 7}, check(file.load("U16", manager), DataType.INT32, 2).toIntArray());
            assertArrayEquals(new byte[] {-128, 127}, check(file.load("I8", manager), DataType.INT8, 2).toByteArray());
            assertArrayEquals(new int[] {0, 255}, check(file.load("U8", manager), DataType.UINT8, 2).toUint8Array());
            assertArrayEquals(new long[] {0xFFFFFFFFL, 1}, check(file.load("U32", manager), DataType.INT64, 2).toLongArray());
            assertArrayEquals(new long[] {Long.MAX_VALUE, 1}, check(file.load("U64", manager), DataType.INT64, 2).toLongArray());
            assertArrayEquals(new boolean[] {true, false, true}, check(file.load("BOOL", manager), DataType.BOOLEAN, 3).toBooleanArray());
            NDArray scalar = check(file.load("scalar", manager), DataType.FLOAT32);
            assertEquals(9f, scalar.getFloat());
            NDArray empty = check(file.load("empty", manager), DataType.FLOAT32, 0, 4);
            assertEquals(0, empty.size());
        }
    }

    @Test
    void streamedAndZeroTensors() {
        Path path = dir.resolve("streamed.safetensors");
        long n = 3_000_000; // spans several write chunks
        new SafetensorsWriter()
                .add("ramp", DType.F32, new long[] {n}, (first, chunk) -> {
                    for (int i = 0; i < chunk.length; i++) {
                        chunk[i] = (first + i) % 1000;
                    }
                })
                .addZeros("zeros.f16", DType.F16, new long[] {1000, 3})
                .addZeros("zeros.i64", DType.I64, new long[] {5})
                .write(path);
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            float[] ramp = file.readFloats("ramp");
            assertEquals(n, ramp.length);
            for (int i = 0; i < n; i++) {
                assertEquals(i % 1000, ramp[i], 0f, "index " + i);
            }
            assertArrayEquals(new float[3000], file.readFloats("zeros.f16"));
            assertArrayEquals(new long[5], file.readLongs("zeros.i64"), "trailing zeros still fill the file");
        }
    }

    @Test
    void ndArraysAreWrittenWithTheirShape() {
        Path path = dir.resolve("nd.safetensors");
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray f32 = manager.create(new float[] {1, 2, 3, 4, 5, 6}).reshape(2, 3);
            NDArray f16 = f32.toType(DataType.FLOAT16, false);
            NDArray f64 = manager.create(new double[] {Math.PI});
            NDArray i32 = manager.create(new int[] {-1, 7});
            NDArray u8 = manager.create(new int[] {0, 255}).toType(DataType.UINT8, false);
            NDArray flags = manager.create(new boolean[] {true, false});
            SafetensorsWriter writer = new SafetensorsWriter()
                    .add("f32", DType.F32, f32)
                    .add("f16.as.bf16", DType.BF16, f16)
                    .add("f64", DType.F64, f64)
                    .add("i32.as.i64", DType.I64, i32)
                    .add("u8", DType.U8, u8)
                    .add("bool", DType.BOOL, flags);
            f32.close(); // values were copied on add
            writer.write(path);
            assertFalse(f16.isReleased(), "the caller's arrays stay open");
        }
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertArrayEquals(new long[] {2, 3}, file.info("f32").shape());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, file.readFloats("f32"));
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, file.readFloats("f16.as.bf16"));
            assertArrayEquals(new double[] {Math.PI}, file.readDoubles("f64"));
            assertArrayEquals(new long[] {-1, 7}, file.readLongs("i32.as.i64"));
            assertArrayEquals(new int[] {0, 255}, file.readInts("u8"));
            assertArrayEquals(new int[] {1, 0}, file.readInts("bool"));
        }
    }

    @Test
    void writerRejectsBadInput() {
        SafetensorsWriter writer = new SafetensorsWriter().add("a", DType.F32, new long[] {1}, new float[] {1});
        assertEquals("tensor 'a' was already added", assertThrows(IllegalArgumentException.class,
                () -> writer.add("a", DType.F32, new long[] {1}, new float[] {1})).getMessage());
        assertEquals("tensor 'b': shape [2, 2] needs 4 values, got 3", assertThrows(IllegalArgumentException.class,
                () -> writer.add("b", DType.F32, new long[] {2, 2}, new float[3])).getMessage());
        assertEquals("tensor 'c': cannot store floating-point values as I32", assertThrows(IllegalArgumentException.class,
                () -> writer.add("c", DType.I32, new long[] {1}, new float[1])).getMessage());
        assertEquals("tensor 'd': cannot store integer values as F32", assertThrows(IllegalArgumentException.class,
                () -> writer.add("d", DType.F32, new long[] {1}, new long[1])).getMessage());
        assertEquals("tensor 'e': value 256 at index 1 does not fit U8", assertThrows(IllegalArgumentException.class,
                () -> writer.add("e", DType.U8, new long[] {2}, new int[] {0, 256})).getMessage());
        assertEquals("tensor 'f': value 2 at index 0 does not fit BOOL", assertThrows(IllegalArgumentException.class,
                () -> writer.add("f", DType.BOOL, new long[] {1}, new int[] {2})).getMessage());
        assertEquals("tensor 'g': negative dimension in shape [-1]", assertThrows(IllegalArgumentException.class,
                () -> writer.add("g", DType.F32, new long[] {-1}, new float[0])).getMessage());
        assertEquals("tensor name '__metadata__' is not allowed", assertThrows(IllegalArgumentException.class,
                () -> writer.add("__metadata__", DType.F32, new long[] {1}, new float[1])).getMessage());
        // a rejected tensor leaves no trace: the name is free again
        writer.add("b", DType.F32, new long[] {1}, new float[] {2});
        Path path = dir.resolve("ok.safetensors");
        writer.write(path);
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertEquals(List.of("a", "b"), file.names());
        }
    }

    @Test
    void writeReplacesAnExistingFileAndLeavesNoPartialFile() throws Exception {
        Path path = dir.resolve("sub/model.safetensors");
        new SafetensorsWriter().add("a", DType.F32, new long[] {1}, new float[] {1}).write(path);
        new SafetensorsWriter().add("b", DType.F32, new long[] {1}, new float[] {2}).write(path);
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertEquals(List.of("b"), file.names());
        }
        try (var listing = Files.list(path.getParent())) {
            assertEquals(List.of(path), listing.toList());
        }
        SafetensorsWriter failing = new SafetensorsWriter().add("c", DType.F32, new long[] {2}, (first, chunk) -> {
            throw new IllegalStateException("source failed");
        });
        assertThrows(IllegalStateException.class, () -> failing.write(path));
        try (var listing = Files.list(path.getParent())) {
            assertEquals(List.of(path), listing.toList(), "the partial file is removed");
        }
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertFalse(file.has("c"), "the old file is untouched");
        }
    }

    private static NDArray check(NDArray array, DataType type, long... shape) {
        assertEquals(type, array.getDataType());
        assertArrayEquals(shape, array.getShape().getShape());
        return array;
    }

    private static double[] copyOfRange(double[] a, int from, int to) {
        return java.util.Arrays.copyOfRange(a, from, to);
    }
}
