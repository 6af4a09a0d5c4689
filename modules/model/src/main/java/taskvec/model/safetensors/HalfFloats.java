package taskvec.model.safetensors;

/**
 * Bit-exact conversions between float and the 16- and 8-bit float formats stored in checkpoints.
 * Narrowing rounds to nearest, ties to even, as PyTorch does. (Java 17 has no
 * {@code Float.float16ToFloat}; that arrived in Java 20.)
 */
public final class HalfFloats {
    private HalfFloats() {}

    /** IEEE 754 binary16 bits to float (exact), by table: loading F16 checkpoints converts billions. */
    public static float f16ToFloat(short half) {
        return F16_TABLE[half & 0xFFFF];
    }

    private static final float[] F16_TABLE = new float[1 << 16];

    static {
        for (int bits = 0; bits < F16_TABLE.length; bits++) {
            F16_TABLE[bits] = computeF16ToFloat(bits);
        }
    }

    private static float computeF16ToFloat(int bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) { // infinity or NaN (payload kept)
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) { // zero or subnormal: mantissa * 2^-24
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** Float to IEEE 754 binary16 bits, rounding to nearest even; too large becomes infinity. */
    public static short floatToF16(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7FFFFFFF;
        if (abs >= 0x7F800000) { // infinity or NaN; a NaN stays a (quiet) NaN
            return (short) (abs == 0x7F800000 ? sign | 0x7C00 : sign | 0x7E00 | ((abs >>> 13) & 0x3FF));
        }
        if (abs >= 0x477FF000) { // 65520 and above round to infinity
            return (short) (sign | 0x7C00);
        }
        if (abs >= 0x38800000) { // normal half (>= 2^-14)
            int half = (((abs >>> 23) - 112) << 10) | ((abs >>> 13) & 0x3FF);
            int rest = abs & 0x1FFF;
            if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) {
                half++; // a carry into the exponent is the correct rounding
            }
            return (short) (sign | half);
        }
        int exponent = abs >>> 23;
        if (exponent < 102) { // below 2^-25: rounds to zero
            return (short) sign;
        }
        int mantissa = (abs & 0x7FFFFF) | 0x800000;
        int shift = 126 - exponent; // units of 2^-24
        int half = mantissa >>> shift;
        int rest = mantissa & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (rest > halfway || (rest == halfway && (half & 1) != 0)) {
            half++;
        }
        return (short) (sign | half);
    }

    /** bfloat16 bits to float (exact: bfloat16 is the top half of a float). */
    public static float bf16ToFloat(short bf16) {
        return Float.intBitsToFloat((bf16 & 0xFFFF) << 16);
    }

    /** Float to bfloat16 bits, rounding to nearest even. */
    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7FFFFFFF) > 0x7F800000) {
            return (short) ((bits >>> 16) | 0x40); // quiet NaN
        }
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    /** float8 e5m2 bits to float (exact: e5m2 is the top byte of a binary16). */
    public static float f8e5m2ToFloat(byte f8) {
        return f16ToFloat((short) ((f8 & 0xFF) << 8));
    }

    /** float8 e4m3 ("fn" variant: no infinities, only S.1111.111 is NaN) bits to float (exact). */
    public static float f8e4m3ToFloat(byte f8) {
        int bits = f8 & 0xFF;
        boolean negative = (bits & 0x80) != 0;
        int exponent = (bits >>> 3) & 0xF;
        int mantissa = bits & 0x7;
        float magnitude;
        if (exponent == 0xF && mantissa == 0x7) {
            return Float.NaN;
        } else if (exponent == 0) {
            magnitude = mantissa * 0x1p-9f;
        } else {
            magnitude = (1 + mantissa / 8f) * (float) Math.scalb(1.0, exponent - 7);
        }
        return negative ? -magnitude : magnitude;
    }
}
