package taskvec.model.safetensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a safetensors file from named tensors, in the order they are added. Values are encoded
 * and streamed to disk in small chunks when {@link #write} runs, so the file may be far larger than
 * any one Java array: tensors can come from several arrays, from a {@link FloatSource} that
 * produces values on demand, or be all zeros ({@link #addZeros}, written as a file-system hole).
 *
 * <p>The arrays passed to {@code add} are referenced, not copied, until {@link #write}.
 * Floating-point values narrow to F16/BF16 rounding to nearest even, as PyTorch does; integer
 * values must fit the target dtype. The header is padded with spaces to a multiple of 8 bytes so
 * the data section is aligned, as the Hugging Face writer does. The file is written under a
 * temporary name in the same folder and moved into place when complete.
 */
public final class SafetensorsWriter {

    /** Produces a streamed tensor's values: fills {@code chunk} with elements {@code first, first+1, ...}. */
    @FunctionalInterface
    public interface FloatSource {
        void fill(long first, float[] chunk);
    }

    private static final int CHUNK_BYTES = 1 << 20;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<Entry> entries = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    /** Adds a {@code __metadata__} entry (e.g. {@code format=pt}). */
    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** Float values stored as F32, F16, BF16 or F64. */
    public SafetensorsWriter add(String name, DType dtype, long[] shape, float[] values) {
        long count = check(name, dtype, shape, values.length, true);
        entries.add(new Entry(name, dtype, shape, count) {
            @Override
            void encode(long first, int n, ByteBuffer out) {
                for (int i = 0; i < n; i++) {
                    putFloat(out, dtype, values[(int) first + i]);
                }
            }
        });
        return this;
    }

    /** Double values stored as F64, or narrowed to F32, F16 or BF16. */
    public SafetensorsWriter add(String name, DType dtype, long[] shape, double[] values) {
        long count = check(name, dtype, shape, values.length, true);
        entries.add(new Entry(name, dtype, shape, count) {
            @Override
            void encode(long first, int n, ByteBuffer out) {
                for (int i = 0; i < n; i++) {
                    double v = values[(int) first + i];
                    if (dtype == DType.F64) {
                        out.putDouble(v);
                    } else {
                        putFloat(out, dtype, (float) v);
                    }
                }
            }
        });
        return this;
    }

    /** Integer values stored as any integer dtype or BOOL (0/1); each value must fit the dtype. */
    public SafetensorsWriter add(String name, DType dtype, long[] shape, long[] values) {
        long count = check(name, dtype, shape, values.length, false);
        for (int i = 0; i < values.length; i++) {
            checkRange(name, dtype, i, values[i]);
        }
        entries.add(new Entry(name, dtype, shape, count) {
            @Override
            void encode(long first, int n, ByteBuffer out) {
                for (int i = 0; i < n; i++) {
                    putInteger(out, dtype, values[(int) first + i]);
                }
            }
        });
        return this;
    }

    /** Integer values stored as any integer dtype or BOOL (0/1); each value must fit the dtype. */
    public SafetensorsWriter add(String name, DType dtype, long[] shape, int[] values) {
        long count = check(name, dtype, shape, values.length, false);
        for (int i = 0; i < values.length; i++) {
            checkRange(name, dtype, i, values[i]);
        }
        entries.add(new Entry(name, dtype, shape, count) {
            @Override
            void encode(long first, int n, ByteBuffer out) {
                for (int i = 0; i < n; i++) {
                    putInteger(out, dtype, values[(int) first + i]);
                }
            }
        });
        return this;
    }

    /**
     * An NDArray's values, copied out now (so the array may be closed before {@link #write}), with
     * its shape; stored as {@code dtype}: a float dtype for a floating-point array, an integer
     * dtype or BOOL for an integer or boolean one.
     */
    public SafetensorsWriter add(String name, DType dtype, NDArray array) {
        long[] shape = array.getShape().getShape();
        DataType type = array.getDataType();
        if (type == DataType.FLOAT64) {
            return add(name, dtype, shape, array.toDoubleArray());
        }
        if (type == DataType.FLOAT32) {
            return add(name, dtype, shape, array.toFloatArray());
        }
        if (type == DataType.INT64) {
            return add(name, dtype, shape, array.toLongArray());
        }
        // only convert when the type differs: DJL's toType to the same type may share the array
        if (type.isFloating()) {
            try (NDArray f32 = array.toType(DataType.FLOAT32, false)) {
                return add(name, dtype, shape, f32.toFloatArray());
            }
        }
        if (type == DataType.BOOLEAN) {
            boolean[] flags = array.toBooleanArray();
            int[] ints = new int[flags.length];
            for (int i = 0; i < flags.length; i++) {
                ints[i] = flags[i] ? 1 : 0;
            }
            return add(name, dtype, shape, ints);
        }
        if (type == DataType.UINT8) {
            return add(name, dtype, shape, array.toUint8Array());
        }
        if (type.isInteger()) {
            try (NDArray i64 = array.toType(DataType.INT64, false)) {
                return add(name, dtype, shape, i64.toLongArray());
            }
        }
        throw new IllegalArgumentException("tensor '" + name + "': cannot write an NDArray of type " + type);
    }

    /**
     * A tensor whose float values {@code source} produces during {@link #write}, in order, a chunk
     * at a time; stored as F32, F16, BF16 or F64. No array of the whole tensor is ever made.
     */
    public SafetensorsWriter add(String name, DType dtype, long[] shape, FloatSource source) {
        long count = check(name, dtype, shape, -1, true);
        entries.add(new Entry(name, dtype, shape, count) {
            private float[] chunk = new float[0];

            @Override
            void encode(long first, int n, ByteBuffer out) {
                if (chunk.length != n) {
                    chunk = new float[n];
                }
                source.fill(first, chunk);
                for (int i = 0; i < n; i++) {
                    putFloat(out, dtype, chunk[i]);
                }
            }
        });
        return this;
    }

    /**
     * A tensor of zeros (any dtype; zero bytes are 0 for all of them). Its bytes are skipped rather
     * than written, so on file systems with sparse files it costs no disk space or time.
     */
    public SafetensorsWriter addZeros(String name, DType dtype, long[] shape) {
        long count = check(name, dtype, shape, -1, dtype.isFloatingPoint());
        entries.add(new Entry(name, dtype, shape, count) {
            @Override
            boolean zeros() {
                return true;
            }

            @Override
            void encode(long first, int n, ByteBuffer out) {
                throw new IllegalStateException("zeros are not encoded");
            }
        });
        return this;
    }

    /** Writes every tensor added so far to {@code file}, replacing it if it exists. */
    public void write(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        byte[] header = headerBytes();
        // not Files.createTempFile: its owner-only permissions would carry over to the result
        Path partial = dir.resolve(file.getFileName() + ".partial");
        try {
            Files.createDirectories(dir);
            try (FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer prefix = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
                prefix.putLong(header.length).put(header).flip();
                writeFully(out, prefix);
                ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                long position = prefix.capacity();
                for (Entry entry : entries) {
                    long bytes = entry.count * entry.dtype.byteSize();
                    if (entry.zeros()) {
                        position += bytes;
                        out.position(position);
                        continue;
                    }
                    int perChunk = CHUNK_BYTES / entry.dtype.byteSize();
                    for (long first = 0; first < entry.count; first += perChunk) {
                        int n = (int) Math.min(perChunk, entry.count - first);
                        buffer.clear();
                        entry.encode(first, n, buffer);
                        buffer.flip();
                        writeFully(out, buffer);
                    }
                    position += bytes;
                }
                if (out.size() < position) { // trailing zeros: extend the file to its full length
                    out.write(ByteBuffer.allocate(1), position - 1);
                }
            }
            try {
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new UncheckedIOException(file + ": cannot write: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(partial);
            throw e;
        }
    }

    private byte[] headerBytes() {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Entry entry : entries) {
            long bytes = entry.count * entry.dtype.byteSize();
            ObjectNode node = root.putObject(entry.name);
            node.put("dtype", entry.dtype.name());
            ArrayNode shape = node.putArray("shape");
            for (long d : entry.shape) {
                shape.add(d);
            }
            node.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] header = Arrays.copyOf(json, padded);
        Arrays.fill(header, json.length, padded, (byte) ' ');
        return header;
    }

    private long check(String name, DType dtype, long[] shape, long length, boolean floatValues) {
        if (name == null || name.isEmpty() || name.equals("__metadata__")) {
            throw new IllegalArgumentException("tensor name '" + name + "' is not allowed");
        }
        if (!names.add(name)) {
            throw new IllegalArgumentException("tensor '" + name + "' was already added");
        }
        if (floatValues != dtype.isFloatingPoint()) {
            names.remove(name);
            throw new IllegalArgumentException("tensor '" + name + "': cannot store "
                    + (floatValues ? "floating-point" : "integer") + " values as " + dtype);
        }
        if (dtype == DType.F8_E4M3 || dtype == DType.F8_E5M2) {
            names.remove(name);
            throw new IllegalArgumentException("tensor '" + name + "': writing " + dtype + " is not supported");
        }
        long count = 1;
        for (long d : shape) {
            if (d < 0) {
                names.remove(name);
                throw new IllegalArgumentException("tensor '" + name + "': negative dimension in shape "
                        + Arrays.toString(shape));
            }
            count = Math.multiplyExact(count, d);
        }
        if (length >= 0 && length != count) {
            names.remove(name);
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " needs "
                    + count + " values, got " + length);
        }
        return count;
    }

    private static void checkRange(String name, DType dtype, int index, long value) {
        long min;
        long max;
        switch (dtype) {
            case BOOL -> { min = 0; max = 1; }
            case U8 -> { min = 0; max = 0xFF; }
            case I8 -> { min = Byte.MIN_VALUE; max = Byte.MAX_VALUE; }
            case I16 -> { min = Short.MIN_VALUE; max = Short.MAX_VALUE; }
            case U16 -> { min = 0; max = 0xFFFF; }
            case I32 -> { min = Integer.MIN_VALUE; max = Integer.MAX_VALUE; }
            case U32 -> { min = 0; max = 0xFFFFFFFFL; }
            case U64 -> { min = 0; max = Long.MAX_VALUE; }
            default -> { min = Long.MIN_VALUE; max = Long.MAX_VALUE; }
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("tensor '" + name + "': value " + value + " at index " + index
                    + " does not fit " + dtype);
        }
    }

    private static void putFloat(ByteBuffer out, DType dtype, float v) {
        switch (dtype) {
            case F32 -> out.putFloat(v);
            case F16 -> out.putShort(HalfFloats.floatToF16(v));
            case BF16 -> out.putShort(HalfFloats.floatToBf16(v));
            case F64 -> out.putDouble(v);
            default -> throw new IllegalStateException("not a float dtype: " + dtype);
        }
    }

    private static void putInteger(ByteBuffer out, DType dtype, long v) {
        switch (dtype) {
            case I64, U64 -> out.putLong(v);
            case I32, U32 -> out.putInt((int) v);
            case I16, U16 -> out.putShort((short) v);
            case I8, U8, BOOL -> out.put((byte) v);
            default -> throw new IllegalStateException("not an integer dtype: " + dtype);
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // the original error matters more
        }
    }

    /** One tensor to write; {@link #encode} puts elements {@code [first, first + n)} into the buffer. */
    private abstract static class Entry {
        final String name;
        final DType dtype;
        final long[] shape;
        final long count;

        Entry(String name, DType dtype, long[] shape, long count) {
            this.name = name;
            this.dtype = dtype;
            this.shape = shape.clone();
            this.count = count;
        }

        boolean zeros() {
            return false;
        }

        abstract void encode(long first, int n, ByteBuffer out);
    }
}
