package taskvec.model.safetensors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds safetensors files byte by byte, including broken ones the writer would never produce. */
final class RawFiles {
    private RawFiles() {}

    /** 8-byte header length (the real one), the header text as is (no padding), then {@code data}. */
    static Path write(Path file, String header, byte[] data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return write(file, json.length, json, data);
    }

    /** Any header length, whatever bytes follow. */
    static Path write(Path file, long headerLength, byte[] header, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength).put(header).put(data);
        return bytes(file, b.array());
    }

    static Path bytes(Path file, byte[] content) {
        try {
            Files.write(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] floatsLE(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }
}
