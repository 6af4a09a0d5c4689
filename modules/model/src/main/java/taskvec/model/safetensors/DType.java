package taskvec.model.safetensors;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** Element types of the safetensors format, spelled as in the header's {@code "dtype"} field. */
public enum DType {
    BOOL(1),
    U8(1),
    I8(1),
    F8_E5M2(1),
    F8_E4M3(1),
    I16(2),
    U16(2),
    F16(2),
    BF16(2),
    I32(4),
    U32(4),
    F32(4),
    I64(8),
    U64(8),
    F64(8);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    public boolean isFloatingPoint() {
        return this == F8_E5M2 || this == F8_E4M3 || this == F16 || this == BF16 || this == F32 || this == F64;
    }

    /** The dtype a header spells as {@code name}, or empty when the format has no such dtype (or we do not know it). */
    public static Optional<DType> fromName(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** All known names, for error messages. */
    static String knownNames() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
