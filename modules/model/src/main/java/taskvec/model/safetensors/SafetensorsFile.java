package taskvec.model.safetensors;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file opened for reading: the header is parsed and validated on {@link #open}; the
 * data stays on disk and each tensor is memory-mapped on its own when first needed, so files of any
 * size (7B shards are 5-10 GB) work with 64-bit offsets while one tensor stays below 2 GiB.
 *
 * <p>Layout: 8-byte little-endian header length N, N bytes of JSON header, then the data section.
 * Every offset in the header is relative to the start of the data section.
 *
 * <p>Mappings are {@link FileChannel.MapMode#PRIVATE}: writes to them (an in-place op on an NDArray
 * that wraps one) go to private copy-on-write pages, never to the file, and cannot crash the JVM
 * the way a write to a READ_ONLY mapping does. Closing this file closes the channel; mappings
 * already handed out stay valid for as long as something references them.
 */
public final class SafetensorsFile implements AutoCloseable {

    /** The format's own limit (as in the reference implementation): a larger header is a corrupt file. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final String METADATA_KEY = "__metadata__";

    /** Converted tensors are built from pieces of this many elements (1 GiB as F32). */
    private static final int CONVERSION_CHUNK_ELEMENTS = 1 << 28;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final Path path;
    private final FileChannel channel;
    /** Whether {@link #channel} is open for writing too, which PRIVATE mappings need. */
    private final boolean privateMappings;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;
    private final Map<String, ByteBuffer> mappings = new HashMap<>();
    private boolean closed;

    private SafetensorsFile(Path path, FileChannel channel, boolean privateMappings, long dataStart,
                            Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.privateMappings = privateMappings;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /**
     * Opens {@code file} and validates its header: sizes, JSON, every entry's dtype, shape and
     * offsets, and that no two tensors overlap (gaps between tensors are allowed).
     *
     * @throws SafetensorsLoadException naming the file and the problem
     */
    public static SafetensorsFile open(Path file) {
        return open(file, true);
    }

    /** {@code privateMappings=false} acts as if the file could not be opened for writing (for tests). */
    static SafetensorsFile open(Path file, boolean privateMappings) {
        if (!Files.exists(file)) {
            throw new SafetensorsLoadException(file + ": file does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new SafetensorsLoadException(file + ": is a folder, not a safetensors file");
        }
        // Java allows a PRIVATE (copy-on-write) mapping only on a channel opened for writing too;
        // nothing is ever written through it. A read-only file falls back to READ_ONLY mappings.
        FileChannel channel = null;
        if (privateMappings) {
            try {
                channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                channel = null;
            }
        }
        boolean writable = channel != null;
        if (channel == null) {
            try {
                channel = FileChannel.open(file, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                throw new SafetensorsLoadException(file + ": file does not exist");
            } catch (IOException e) {
                throw new SafetensorsLoadException(file + ": cannot open: " + e.getMessage(), e);
            }
        }
        try {
            long fileSize = channel.size();
            if (fileSize < 8) {
                throw new SafetensorsLoadException(file + ": truncated: the file is " + fileSize
                        + " bytes, shorter than the 8-byte header length");
            }
            long headerLength = readFully(channel, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerLength < 0 || headerLength > fileSize - 8) {
                throw new SafetensorsLoadException(file + ": header length " + Long.toUnsignedString(headerLength)
                        + " bytes goes past the end of the file (" + fileSize + " bytes)");
            }
            if (headerLength > MAX_HEADER_BYTES) {
                throw new SafetensorsLoadException(file + ": header length " + headerLength
                        + " bytes is larger than the format's limit of " + MAX_HEADER_BYTES + " bytes");
            }
            String header = decodeUtf8(file, readFully(channel, 8, (int) headerLength));
            long dataStart = 8 + headerLength;
            long dataLength = fileSize - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, TensorInfo> tensors = parseHeader(file, header, dataLength, metadata);
            checkNoOverlap(file, tensors.values());
            return new SafetensorsFile(file, channel, writable, dataStart,
                    Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
        } catch (IOException e) {
            closeQuietly(channel);
            throw new SafetensorsLoadException(file + ": cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** Tensor names in header order. */
    public List<String> names() {
        return List.copyOf(tensors.keySet());
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    /** @throws SafetensorsLoadException when the file holds no tensor of that name */
    public TensorInfo info(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new SafetensorsLoadException(path + ": no tensor '" + name + "' in this file");
        }
        return info;
    }

    /** The header's {@code __metadata__} (string to string), empty when absent. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Byte offset in the file where the data section starts (8 + header length). */
    public long dataStart() {
        return dataStart;
    }

    /**
     * The tensor's bytes, little-endian, as a view of its mapping: created on the first call for
     * that tensor and cached. Each call returns a fresh view (own position and limit) of the same
     * memory; callers must not write to it. Read-only ({@link ByteBuffer#isReadOnly()}) when the
     * file could not be opened for writing: never hand such a buffer to DJL, use {@link #load}.
     */
    public synchronized ByteBuffer map(String name) {
        TensorInfo info = info(name);
        ByteBuffer mapping = mappings.get(name);
        if (mapping == null) {
            mapping = mapTensor(info);
            mappings.put(name, mapping);
        }
        return mapping.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A floating-point tensor's values as floats (F32 as is; F16, BF16, F8 widened exactly; F64 rounded). */
    public float[] readFloats(String name) {
        TensorInfo info = info(name);
        int n = javaArrayLength(info);
        float[] out = new float[n];
        decodeFloats(info, map(name), 0, n, out, 0);
        return out;
    }

    /** A floating-point tensor's values as doubles (F64 as is, the others widened exactly). */
    public double[] readDoubles(String name) {
        TensorInfo info = info(name);
        if (info.dtype() == DType.F64) {
            double[] out = new double[javaArrayLength(info)];
            map(name).asDoubleBuffer().get(out);
            return out;
        }
        if (!info.dtype().isFloatingPoint()) {
            throw notFloatingPoint(info);
        }
        float[] floats = readFloats(name);
        double[] out = new double[floats.length];
        for (int i = 0; i < floats.length; i++) {
            out[i] = floats[i];
        }
        return out;
    }

    /** An integer or BOOL tensor's values as longs (U64 values above {@code Long.MAX_VALUE} are an error). */
    public long[] readLongs(String name) {
        TensorInfo info = info(name);
        int n = javaArrayLength(info);
        ByteBuffer data = map(name);
        long[] out = new long[n];
        switch (info.dtype()) {
            case I64 -> data.asLongBuffer().get(out);
            case U64 -> {
                LongBuffer l = data.asLongBuffer();
                for (int i = 0; i < n; i++) {
                    long v = l.get(i);
                    if (v < 0) {
                        throw outOfRange(info, i, Long.toUnsignedString(v), "long");
                    }
                    out[i] = v;
                }
            }
            case I32 -> {
                IntBuffer b = data.asIntBuffer();
                for (int i = 0; i < n; i++) {
                    out[i] = b.get(i);
                }
            }
            case U32 -> {
                IntBuffer b = data.asIntBuffer();
                for (int i = 0; i < n; i++) {
                    out[i] = Integer.toUnsignedLong(b.get(i));
                }
            }
            default -> {
                int[] ints = readSmallInts(info, data, n);
                for (int i = 0; i < n; i++) {
                    out[i] = ints[i];
                }
            }
        }
        return out;
    }

    /** An integer or BOOL tensor's values as ints (I64, U32, U64 values must fit in an int). */
    public int[] readInts(String name) {
        TensorInfo info = info(name);
        int n = javaArrayLength(info);
        ByteBuffer data = map(name);
        switch (info.dtype()) {
            case I32 -> {
                int[] out = new int[n];
                data.asIntBuffer().get(out);
                return out;
            }
            case I64, U64, U32 -> {
                long[] longs = readLongs(name);
                int[] out = new int[n];
                for (int i = 0; i < n; i++) {
                    if (longs[i] != (int) longs[i]) {
                        throw outOfRange(info, i, Long.toString(longs[i]), "int");
                    }
                    out[i] = (int) longs[i];
                }
                return out;
            }
            default -> {
                return readSmallInts(info, data, n);
            }
        }
    }

    /**
     * The tensor as an NDArray of {@code manager}, in the DJL type that holds its values exactly.
     *
     * <ul>
     *   <li>F32, F16, F64, I64, I32, I8, U8, BOOL: the array wraps a memory mapping of the tensor
     *       with no copy (see below). Each call maps the tensor afresh, so an in-place op on one
     *       array never shows up in another array or in {@link #map}.
     *   <li>BF16 and F8: widened to F32 in Java (DJL 0.36 aborts the JVM on a BF16 array), into
     *       memory libtorch owns.
     *   <li>I16, U16: widened to INT32; U32, U64: to INT64 (U64 above {@code Long.MAX_VALUE} is an
     *       error). DJL's PyTorch engine aborts the JVM on those dtypes too.
     * </ul>
     *
     * <p>Only the returned array keeps a wrapped mapping alive: keep it open while views of it
     * ({@code reshape}, {@code transpose}, {@code get}) are in use.
     *
     * <p>Why no copy: DJL 0.36's {@code PtNDManager.create(Buffer, Shape, DataType)} passes a
     * direct ByteBuffer straight to {@code torch::from_blob} (native code takes the buffer's
     * address) and, on CPU, keeps a reference to the buffer in the {@code PtNDArray}, so the mapping
     * lives as long as the array; a heap buffer, or a GPU device, is copied instead. from_blob
     * ignores the buffer's position and byte order, so the mapping starts at the tensor's first
     * byte and the data is little-endian, as on every platform libtorch runs on here. When the
     * tensor's file offset is not a multiple of its element size, or the file could only be mapped
     * read-only, libtorch copies the wrapped bytes into its own memory and the mapping is dropped.
     */
    public NDArray load(String name, NDManager manager) {
        return load(name, manager, CONVERSION_CHUNK_ELEMENTS);
    }

    /** {@link #load} with the size of the pieces a converted tensor is built from (small in tests). */
    NDArray load(String name, NDManager manager, int chunkElements) {
        TensorInfo info = info(name);
        Shape shape = new Shape(info.shape());
        DataType nativeType = switch (info.dtype()) {
            case F32 -> DataType.FLOAT32;
            case F16 -> DataType.FLOAT16;
            case F64 -> DataType.FLOAT64;
            case I64 -> DataType.INT64;
            case I32 -> DataType.INT32;
            case I8 -> DataType.INT8;
            case U8 -> DataType.UINT8;
            case BOOL -> DataType.BOOLEAN;
            default -> null;
        };
        if (nativeType == null) {
            DataType target = switch (info.dtype()) {
                case BF16, F8_E5M2, F8_E4M3 -> DataType.FLOAT32;
                case I16, U16 -> DataType.INT32;
                case U32, U64 -> DataType.INT64;
                default -> throw new IllegalStateException("unhandled dtype " + info.dtype());
            };
            return convertedArray(info, manager, shape, target, chunkElements);
        }
        if (info.elementCount() == 0) {
            return manager.zeros(shape, nativeType);
        }
        ByteBuffer data = mapTensor(info);
        NDArray wrapped = manager.create(data, shape, nativeType);
        // A read-only mapping must not stay under an array (an in-place op on it kills the JVM), and
        // kernels prefer aligned elements: in those two cases libtorch copies it into its own memory.
        if (data.isReadOnly() || (dataStart + info.begin()) % info.dtype().byteSize() != 0) {
            return ownedCopy(wrapped);
        }
        return wrapped;
    }

    /** A copy in memory libtorch owns (not a Java buffer, so no direct-memory limit applies); closes {@code array}. */
    private static NDArray ownedCopy(NDArray array) {
        try (array) {
            return array.duplicate();
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            mappings.clear();
            closeQuietly(channel);
        }
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + path + ", " + tensors.size() + " tensors]";
    }

    // ---- header parsing and validation ----

    private static Map<String, TensorInfo> parseHeader(Path file, String header, long dataLength,
                                                       Map<String, String> metadataOut) {
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (JsonProcessingException e) {
            throw new SafetensorsLoadException(file + ": header is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsLoadException(file + ": header is not a JSON object");
        }
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String name = field.getKey();
            if (name.equals(METADATA_KEY)) {
                readMetadata(file, field.getValue(), metadataOut);
            } else {
                tensors.put(name, parseEntry(file, name, field.getValue(), dataLength));
            }
        }
        return tensors;
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> out) {
        if (!node.isObject()) {
            throw new SafetensorsLoadException(file + ": __metadata__ is not a JSON object");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw new SafetensorsLoadException(file + ": __metadata__ value of '" + e.getKey()
                        + "' is not a string: " + e.getValue());
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
    }

    private static TensorInfo parseEntry(Path file, String name, JsonNode entry, long dataLength) {
        String where = file + ": tensor '" + name + "'";
        if (!(entry instanceof ObjectNode)) {
            throw new SafetensorsLoadException(where + ": entry is not a JSON object: " + entry);
        }
        JsonNode dtypeNode = entry.get("dtype");
        if (dtypeNode == null) {
            throw new SafetensorsLoadException(where + ": entry has no dtype");
        }
        if (!dtypeNode.isTextual()) {
            throw new SafetensorsLoadException(where + ": dtype is not a string: " + dtypeNode);
        }
        DType dtype = DType.fromName(dtypeNode.textValue()).orElseThrow(() -> new SafetensorsLoadException(
                where + ": unknown dtype '" + dtypeNode.textValue() + "' (known: " + DType.knownNames() + ")"));
        long[] shape = nonNegativeLongs(where, entry, "shape", -1);
        long[] offsets = nonNegativeLongs(where, entry, "data_offsets", 2);
        long begin = offsets[0];
        long end = offsets[1];
        String offsetsText = "data_offsets [" + begin + ", " + end + "]";
        if (end < begin) {
            throw new SafetensorsLoadException(where + ": " + offsetsText + " end before begin");
        }
        if (end > dataLength) {
            throw new SafetensorsLoadException(where + ": " + offsetsText + " past the end of the data ("
                    + dataLength + " bytes)");
        }
        long expectedBytes;
        try {
            long count = 1;
            for (long d : shape) {
                count = Math.multiplyExact(count, d);
            }
            expectedBytes = Math.multiplyExact(count, (long) dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new SafetensorsLoadException(where + ": shape " + Arrays.toString(shape) + " is too large");
        }
        if (expectedBytes != end - begin) {
            throw new SafetensorsLoadException(where + ": shape " + Arrays.toString(shape) + " of " + dtype
                    + " needs " + expectedBytes + " bytes, but " + offsetsText + " hold " + (end - begin));
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static long[] nonNegativeLongs(String where, JsonNode entry, String field, int requiredLength) {
        JsonNode node = entry.get(field);
        if (node == null) {
            throw new SafetensorsLoadException(where + ": entry has no " + field);
        }
        String problem = where + ": " + field + " must be an array of "
                + (requiredLength > 0 ? requiredLength + " " : "") + "non-negative integers, not " + node;
        if (!node.isArray() || (requiredLength >= 0 && node.size() != requiredLength)) {
            throw new SafetensorsLoadException(problem);
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw new SafetensorsLoadException(problem);
            }
            out[i] = v.longValue();
        }
        return out;
    }

    private static void checkNoOverlap(Path file, Iterable<TensorInfo> tensors) {
        List<TensorInfo> byBegin = new ArrayList<>();
        for (TensorInfo t : tensors) {
            if (t.byteLength() > 0) {
                byBegin.add(t);
            }
        }
        byBegin.sort(Comparator.comparingLong(TensorInfo::begin));
        for (int i = 1; i < byBegin.size(); i++) {
            TensorInfo previous = byBegin.get(i - 1);
            TensorInfo current = byBegin.get(i);
            if (current.begin() < previous.end()) {
                throw new SafetensorsLoadException(file + ": tensors '" + previous.name() + "' (data_offsets ["
                        + previous.begin() + ", " + previous.end() + "]) and '" + current.name()
                        + "' (data_offsets [" + current.begin() + ", " + current.end() + "]) overlap");
            }
        }
    }

    // ---- data access ----

    private ByteBuffer mapTensor(TensorInfo info) {
        if (info.byteLength() > Integer.MAX_VALUE) {
            throw new SafetensorsLoadException(path + ": tensor '" + info.name() + "' is " + info.byteLength()
                    + " bytes; a single tensor must be smaller than 2 GiB to be mapped");
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException(path + " is closed");
            }
        }
        try {
            FileChannel.MapMode mode = privateMappings ? FileChannel.MapMode.PRIVATE : FileChannel.MapMode.READ_ONLY;
            return channel.map(mode, dataStart + info.begin(), info.byteLength()).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new SafetensorsLoadException(path + ": tensor '" + info.name() + "': cannot map bytes ["
                    + (dataStart + info.begin()) + ", " + (dataStart + info.end()) + "): " + e.getMessage(), e);
        }
    }

    private int javaArrayLength(TensorInfo info) {
        long n = info.elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new SafetensorsLoadException(path + ": tensor '" + info.name() + "' has " + n
                    + " elements, too many for one Java array");
        }
        return (int) n;
    }

    /** Elements decoded per step when filling a direct buffer: a small scratch array, then one bulk put. */
    private static final int DECODE_STEP = 1 << 16;

    /** Puts elements {@code [first, first + n)} of a floating-point tensor into {@code out} as floats. */
    private void decodeFloats(TensorInfo info, ByteBuffer data, int first, int n, FloatBuffer out) {
        float[] scratch = new float[Math.min(n, DECODE_STEP)];
        for (int done = 0; done < n; done += scratch.length) {
            int step = Math.min(scratch.length, n - done);
            decodeFloats(info, data, first + done, step, scratch, 0); // one step: its short[] is the only garbage
            out.put(scratch, 0, step);
        }
    }

    /** Writes elements {@code [first, first + n)} of a floating-point tensor to {@code out[offset...]}. */
    private void decodeFloats(TensorInfo info, ByteBuffer data, int first, int n, float[] out, int offset) {
        switch (info.dtype()) {
            case F32 -> data.asFloatBuffer().get(first, out, offset, n);
            case F16, BF16 -> {
                ShortBuffer s = data.asShortBuffer();
                short[] bits = new short[Math.min(n, DECODE_STEP)];
                boolean f16 = info.dtype() == DType.F16;
                for (int done = 0; done < n; done += bits.length) {
                    int step = Math.min(bits.length, n - done);
                    s.get(first + done, bits, 0, step);
                    int base = offset + done;
                    if (f16) {
                        for (int i = 0; i < step; i++) {
                            out[base + i] = HalfFloats.f16ToFloat(bits[i]);
                        }
                    } else {
                        for (int i = 0; i < step; i++) {
                            out[base + i] = HalfFloats.bf16ToFloat(bits[i]);
                        }
                    }
                }
            }
            case F64 -> {
                DoubleBuffer d = data.asDoubleBuffer();
                for (int i = 0; i < n; i++) {
                    out[offset + i] = (float) d.get(first + i);
                }
            }
            case F8_E5M2 -> {
                for (int i = 0; i < n; i++) {
                    out[offset + i] = HalfFloats.f8e5m2ToFloat(data.get(first + i));
                }
            }
            case F8_E4M3 -> {
                for (int i = 0; i < n; i++) {
                    out[offset + i] = HalfFloats.f8e4m3ToFloat(data.get(first + i));
                }
            }
            default -> throw notFloatingPoint(info);
        }
    }

    /** Puts elements {@code [first, first + n)} of an I16/U16 tensor into {@code out} as ints. */
    private static void decodeShortsAsInts(TensorInfo info, ByteBuffer data, int first, int n, IntBuffer out) {
        ShortBuffer s = data.asShortBuffer();
        boolean unsigned = info.dtype() == DType.U16;
        for (int i = first; i < first + n; i++) {
            out.put(unsigned ? Short.toUnsignedInt(s.get(i)) : s.get(i));
        }
    }

    /** Puts elements {@code [first, first + n)} of a U32/U64 tensor into {@code out} as longs. */
    private void decodeUnsignedAsLongs(TensorInfo info, ByteBuffer data, int first, int n, LongBuffer out) {
        if (info.dtype() == DType.U32) {
            IntBuffer b = data.asIntBuffer();
            for (int i = first; i < first + n; i++) {
                out.put(Integer.toUnsignedLong(b.get(i)));
            }
        } else {
            LongBuffer b = data.asLongBuffer();
            for (int i = first; i < first + n; i++) {
                long v = b.get(i);
                if (v < 0) {
                    throw outOfRange(info, i, Long.toUnsignedString(v), "long");
                }
                out.put(v);
            }
        }
    }

    /**
     * A tensor libtorch cannot hold as stored, converted in Java into memory libtorch owns, so
     * loading a large BF16 model never runs into the JVM's direct-memory limit.
     *
     * <p>On CPU the values are decoded straight into a tensor libtorch allocated, through the view
     * of its memory that DJL 0.36's {@code toByteBuffer(true)} gives for a contiguous CPU array
     * ({@code JniUtils.getByteBuffer}: a direct buffer over the tensor's data pointer). Otherwise,
     * and for tensors too large for one Java buffer (DJL creates arrays from Java with an int byte
     * count, and widening doubles BF16's size), flat pieces of at most {@code chunkElements} are
     * decoded into direct buffers, wrapped, and joined (copied) by libtorch.
     */
    private NDArray convertedArray(TensorInfo info, NDManager manager, Shape shape, DataType target,
                                   int chunkElements) {
        int n = javaArrayLength(info);
        if (n == 0) {
            return manager.zeros(shape, target);
        }
        ByteBuffer data = map(info.name());
        long bytes = (long) n * target.getNumOfBytes();
        if (n <= chunkElements && bytes <= Integer.MAX_VALUE && Device.cpu().equals(manager.getDevice())) {
            NDArray out = manager.create(shape, target); // uninitialized, owned by libtorch
            ByteBuffer view = out.toByteBuffer(true);
            if (view.isDirect() && view.capacity() == bytes) {
                decodeInto(info, data, 0, n, target, view.order(ByteOrder.nativeOrder()));
                return out;
            }
            out.close(); // not a view of the tensor after all: take the general path
        }
        List<NDArray> pieces = new ArrayList<>();
        try {
            for (int first = 0; first < n; first += chunkElements) {
                int count = Math.min(chunkElements, n - first);
                ByteBuffer out = ByteBuffer.allocateDirect(count * target.getNumOfBytes()).order(ByteOrder.nativeOrder());
                decodeInto(info, data, first, count, target, out);
                pieces.add(manager.create(out, new Shape(count), target));
            }
            // concat (or duplicate) copies into memory libtorch owns, so the pieces and their Java buffers can go
            if (pieces.size() == 1) {
                try (NDArray shaped = pieces.get(0).reshape(shape)) {
                    return shaped.duplicate();
                }
            }
            try (NDArray flat = NDArrays.concat(new NDList(pieces))) {
                return flat.reshape(shape);
            }
        } finally {
            pieces.forEach(NDArray::close);
        }
    }

    private void decodeInto(TensorInfo info, ByteBuffer data, int first, int count, DataType target, ByteBuffer out) {
        switch (target) {
            case FLOAT32 -> decodeFloats(info, data, first, count, out.asFloatBuffer());
            case INT32 -> decodeShortsAsInts(info, data, first, count, out.asIntBuffer());
            case INT64 -> decodeUnsignedAsLongs(info, data, first, count, out.asLongBuffer());
            default -> throw new IllegalStateException("no conversion to " + target);
        }
    }

    private int[] readSmallInts(TensorInfo info, ByteBuffer data, int n) {
        int[] out = new int[n];
        switch (info.dtype()) {
            case I16 -> {
                ShortBuffer s = data.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    out[i] = s.get(i);
                }
            }
            case U16 -> {
                ShortBuffer s = data.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    out[i] = Short.toUnsignedInt(s.get(i));
                }
            }
            case I8 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = data.get(i);
                }
            }
            case U8, BOOL -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Byte.toUnsignedInt(data.get(i));
                }
            }
            default -> throw new SafetensorsLoadException(path + ": tensor '" + info.name() + "' is "
                    + info.dtype() + ", not an integer tensor");
        }
        return out;
    }

    private SafetensorsLoadException notFloatingPoint(TensorInfo info) {
        return new SafetensorsLoadException(path + ": tensor '" + info.name() + "' is " + info.dtype()
                + ", not a floating-point tensor");
    }

    private SafetensorsLoadException outOfRange(TensorInfo info, int index, String value, String javaType) {
        return new SafetensorsLoadException(path + ": tensor '" + info.name() + "' (" + info.dtype()
                + "): element " + index + " = " + value + " does not fit in a Java " + javaType);
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + (position + buffer.position()));
            }
        }
        return buffer.flip();
    }

    private static String decodeUtf8(Path file, ByteBuffer bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new SafetensorsLoadException(file + ": header is not valid UTF-8 text");
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing useful to do: the file was only read
        }
    }
}
