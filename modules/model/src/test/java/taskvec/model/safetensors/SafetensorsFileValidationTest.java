package taskvec.model.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of broken file fails on open with a message naming the file and the problem. */
class SafetensorsFileValidationTest {

    @TempDir
    Path dir;

    private String openFails(Path file) {
        SafetensorsLoadException e = assertThrows(SafetensorsLoadException.class, () -> SafetensorsFile.open(file));
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        return e.getMessage().substring(file.toString().length() + 2);
    }

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape
                + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    @Test
    void missingFileAndFolder() {
        assertEquals("file does not exist", openFails(dir.resolve("nope.safetensors")));
        assertEquals("is a folder, not a safetensors file", openFails(dir));
    }

    @Test
    void fileShorterThanTheHeaderLength() {
        assertEquals("truncated: the file is 5 bytes, shorter than the 8-byte header length",
                openFails(RawFiles.bytes(dir.resolve("five.safetensors"), new byte[5])));
        assertEquals("truncated: the file is 0 bytes, shorter than the 8-byte header length",
                openFails(RawFiles.bytes(dir.resolve("empty.safetensors"), new byte[0])));
    }

    @Test
    void headerLengthPastTheEnd() {
        Path file = RawFiles.write(dir.resolve("long.safetensors"), 1000, "{}".getBytes(), new byte[0]);
        assertEquals("header length 1000 bytes goes past the end of the file (10 bytes)", openFails(file));
        Path negative = RawFiles.write(dir.resolve("neg.safetensors"), -1, "{}".getBytes(), new byte[0]);
        assertEquals("header length 18446744073709551615 bytes goes past the end of the file (10 bytes)",
                openFails(negative));
    }

    @Test
    void headerLargerThanTheFormatLimit() throws IOException {
        Path file = dir.resolve("huge-header.safetensors");
        RawFiles.write(file, SafetensorsFile.MAX_HEADER_BYTES + 1, "{}".getBytes(), new byte[0]);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(SafetensorsFile.MAX_HEADER_BYTES + 100); // sparse: no disk used
        }
        assertEquals("header length 100000001 bytes is larger than the format's limit of 100000000 bytes",
                openFails(file));
    }

    @Test
    void truncatedData() {
        String header = "{" + entry("w", "F32", "[4]", 0, 16) + "}";
        Path file = RawFiles.write(dir.resolve("cut.safetensors"), header, new byte[10]);
        assertEquals("tensor 'w': data_offsets [0, 16] past the end of the data (10 bytes)", openFails(file));
    }

    @Test
    void headerNotJsonOrNotAnObject() {
        assertTrue(openFails(RawFiles.write(dir.resolve("a.safetensors"), "{not json", new byte[0]))
                .startsWith("header is not valid JSON: "));
        assertTrue(openFails(RawFiles.write(dir.resolve("b.safetensors"), "{} trailing", new byte[0]))
                .startsWith("header is not valid JSON: "));
        assertEquals("header is not a JSON object",
                openFails(RawFiles.write(dir.resolve("c.safetensors"), "[1, 2]", new byte[0])));
        assertEquals("header is not a JSON object",
                openFails(RawFiles.write(dir.resolve("d.safetensors"), "   ", new byte[0])));
        assertEquals("header is not valid UTF-8 text", openFails(RawFiles.write(dir.resolve("e.safetensors"), 4,
                new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}, new byte[0])));
        String duplicate = "{" + entry("w", "F32", "[1]", 0, 4) + "," + entry("w", "F32", "[1]", 4, 8) + "}";
        assertTrue(openFails(RawFiles.write(dir.resolve("f.safetensors"), duplicate, new byte[8]))
                .contains("Duplicate field 'w'"));
    }

    @Test
    void entryMissingAField() {
        byte[] data = new byte[4];
        assertEquals("tensor 'w': entry has no dtype", openFails(RawFiles.write(dir.resolve("a.safetensors"),
                "{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", data)));
        assertEquals("tensor 'w': entry has no shape", openFails(RawFiles.write(dir.resolve("b.safetensors"),
                "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", data)));
        assertEquals("tensor 'w': entry has no data_offsets", openFails(RawFiles.write(dir.resolve("c.safetensors"),
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", data)));
        assertEquals("tensor 'w': entry is not a JSON object: 3",
                openFails(RawFiles.write(dir.resolve("d.safetensors"), "{\"w\":3}", data)));
    }

    @Test
    void malformedFields() {
        byte[] data = new byte[8];
        assertEquals("tensor 'w': dtype is not a string: 32", openFails(RawFiles.write(dir.resolve("a.safetensors"),
                "{\"w\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}", data)));
        assertEquals("tensor 'w': shape must be an array of non-negative integers, not [-1]",
                openFails(RawFiles.write(dir.resolve("b.safetensors"), "{" + entry("w", "F32", "[-1]", 0, 4) + "}", data)));
        assertEquals("tensor 'w': shape must be an array of non-negative integers, not [1.5]",
                openFails(RawFiles.write(dir.resolve("c.safetensors"), "{" + entry("w", "F32", "[1.5]", 0, 4) + "}", data)));
        assertEquals("tensor 'w': data_offsets must be an array of 2 non-negative integers, not [0,4,8]",
                openFails(RawFiles.write(dir.resolve("d.safetensors"),
                        "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", data)));
        assertEquals("tensor 'w': data_offsets must be an array of 2 non-negative integers, not [-4,0]",
                openFails(RawFiles.write(dir.resolve("e.safetensors"), "{" + entry("w", "F32", "[1]", -4, 0) + "}", data)));
        assertEquals("__metadata__ value of 'n' is not a string: 3", openFails(RawFiles.write(dir.resolve("f.safetensors"),
                "{\"__metadata__\":{\"n\":3}}", data)));
    }

    @Test
    void unknownDtype() {
        String message = openFails(RawFiles.write(dir.resolve("q.safetensors"),
                "{" + entry("model.w", "Q4_K", "[2]", 0, 1) + "}", new byte[1]));
        assertTrue(message.startsWith("tensor 'model.w': unknown dtype 'Q4_K' (known: BOOL, U8, "), message);
    }

    @Test
    void offsetsOutOfRange() {
        assertEquals("tensor 'x': data_offsets [8, 4] end before begin", openFails(RawFiles.write(
                dir.resolve("a.safetensors"), "{" + entry("x", "F32", "[1]", 8, 4) + "}", new byte[8])));
        assertEquals("tensor 'x.weight': data_offsets [0, 100] past the end of the data (64 bytes)", openFails(
                RawFiles.write(dir.resolve("model-00001-of-00002.safetensors"),
                        "{" + entry("x.weight", "F32", "[25]", 0, 100) + "}", new byte[64])));
    }

    @Test
    void byteLengthDisagreesWithShape() {
        assertEquals("tensor 'w': shape [2, 3] of F32 needs 24 bytes, but data_offsets [0, 20] hold 20",
                openFails(RawFiles.write(dir.resolve("a.safetensors"), "{" + entry("w", "F32", "[2,3]", 0, 20) + "}",
                        new byte[24])));
        assertEquals("tensor 'w': shape [4611686018427387904, 4] is too large",
                openFails(RawFiles.write(dir.resolve("b.safetensors"),
                        "{" + entry("w", "F32", "[4611686018427387904,4]", 0, 16) + "}", new byte[16])));
    }

    @Test
    void overlappingTensors() {
        String header = "{" + entry("a", "F32", "[4]", 0, 16) + "," + entry("b", "F32", "[4]", 12, 28) + "}";
        assertEquals("tensors 'a' (data_offsets [0, 16]) and 'b' (data_offsets [12, 28]) overlap",
                openFails(RawFiles.write(dir.resolve("a.safetensors"), header, new byte[28])));
        String same = "{" + entry("b", "F32", "[2]", 8, 16) + "," + entry("a", "F32", "[2]", 8, 16) + "}";
        assertTrue(openFails(RawFiles.write(dir.resolve("b.safetensors"), same, new byte[16])).endsWith("overlap"));
    }

    @Test
    void gapsAndEmptyTensorsAreAllowed() {
        byte[] data = new byte[40];
        System.arraycopy(RawFiles.floatsLE(1, 2), 0, data, 4, 8);
        System.arraycopy(RawFiles.floatsLE(3, 4, 5), 0, data, 24, 12);
        String header = "{" + entry("b", "F32", "[3]", 24, 36) + "," + entry("empty", "F32", "[0,5]", 12, 12) + ","
                + entry("a", "F32", "[2]", 4, 12) + "}";
        try (SafetensorsFile file = SafetensorsFile.open(RawFiles.write(dir.resolve("gaps.safetensors"), header, data))) {
            assertEquals(List.of("b", "empty", "a"), file.names());
            assertArrayEquals(new float[] {1, 2}, file.readFloats("a"));
            assertArrayEquals(new float[] {3, 4, 5}, file.readFloats("b"));
            assertArrayEquals(new float[0], file.readFloats("empty"));
            assertEquals(0, file.info("empty").elementCount());
        }
    }

    @Test
    void unknownTensorNameAndWrongKindOfRead() {
        String header = "{" + entry("w", "I32", "[2]", 0, 8) + "}";
        Path path = RawFiles.write(dir.resolve("ints.safetensors"), header, new byte[8]);
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            SafetensorsLoadException e = assertThrows(SafetensorsLoadException.class, () -> file.info("v"));
            assertEquals(path + ": no tensor 'v' in this file", e.getMessage());
            e = assertThrows(SafetensorsLoadException.class, () -> file.readFloats("w"));
            assertEquals(path + ": tensor 'w' is I32, not a floating-point tensor", e.getMessage());
            assertArrayEquals(new int[] {0, 0}, file.readInts("w"));
        }
    }

    @Test
    void fileOfExactlyAnEmptyHeaderIsValid() {
        try (SafetensorsFile file = SafetensorsFile.open(RawFiles.write(dir.resolve("e.safetensors"), "{}", new byte[0]))) {
            assertTrue(file.names().isEmpty());
            assertTrue(file.metadata().isEmpty());
            assertEquals(10, file.dataStart());
        }
        assertTrue(Arrays.stream(dir.toFile().list()).allMatch(n -> n.endsWith(".safetensors")));
        assertTrue(Files.exists(dir.resolve("e.safetensors")));
    }
}
