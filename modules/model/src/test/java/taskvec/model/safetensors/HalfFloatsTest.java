package taskvec.model.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HalfFloatsTest {

    @Test
    void everyF16RoundTripsThroughFloat() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = HalfFloats.f16ToFloat((short) bits);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(HalfFloats.f16ToFloat(HalfFloats.floatToF16(f))), Integer.toHexString(bits));
            } else {
                assertEquals(bits, HalfFloats.floatToF16(f) & 0xFFFF, Integer.toHexString(bits));
            }
        }
    }

    @Test
    void f16DecodesKnownValues() {
        assertEquals(1.0f, HalfFloats.f16ToFloat((short) 0x3C00));
        assertEquals(-2.0f, HalfFloats.f16ToFloat((short) 0xC000));
        assertEquals(65504f, HalfFloats.f16ToFloat((short) 0x7BFF));
        assertEquals(0x1p-24f, HalfFloats.f16ToFloat((short) 0x0001));
        assertEquals(0x1p-14f, HalfFloats.f16ToFloat((short) 0x0400));
        assertEquals(Float.NEGATIVE_INFINITY, HalfFloats.f16ToFloat((short) 0xFC00));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(HalfFloats.f16ToFloat((short) 0x8000)));
    }

    /** Expected bits from numpy's float32 -> float16 cast. */
    @Test
    void f16RoundsLikeNumpy() {
        assertEquals(0x2E66, HalfFloats.floatToF16(0.1f) & 0xFFFF);
        assertEquals(0x3555, HalfFloats.floatToF16(1f / 3) & 0xFFFF);
        assertEquals(0x7BFF, HalfFloats.floatToF16(65519f) & 0xFFFF);
        assertEquals(0x7C00, HalfFloats.floatToF16(65520f) & 0xFFFF);
        assertEquals(0x7C00, HalfFloats.floatToF16(1e5f) & 0xFFFF);
        assertEquals(0x0000, HalfFloats.floatToF16(1e-8f) & 0xFFFF);
        assertEquals(0x0001, HalfFloats.floatToF16(3e-8f) & 0xFFFF);
        assertEquals(0x0000, HalfFloats.floatToF16(0x1p-25f) & 0xFFFF, "tie goes to even (zero)");
        assertEquals(0x8075, HalfFloats.floatToF16(-7.0e-6f) & 0xFFFF);
    }

    @Test
    void f16MidpointsRoundToEven() {
        for (int bits = 0; bits < 0x7BFF; bits++) {
            float low = HalfFloats.f16ToFloat((short) bits);
            float high = HalfFloats.f16ToFloat((short) (bits + 1));
            float mid = (low + high) / 2; // exact in float
            int even = (bits & 1) == 0 ? bits : bits + 1;
            assertEquals(even, HalfFloats.floatToF16(mid) & 0xFFFF, Integer.toHexString(bits));
            assertEquals(bits, HalfFloats.floatToF16(Math.nextDown(mid)) & 0xFFFF);
            assertEquals(bits + 1, HalfFloats.floatToF16(Math.nextUp(mid)) & 0xFFFF);
        }
    }

    @Test
    void bf16IsTheTopHalfOfAFloatRoundedToEven() {
        assertEquals(1.0f, HalfFloats.bf16ToFloat((short) 0x3F80));
        assertEquals(0x3F80, HalfFloats.floatToBf16(1.0f) & 0xFFFF);
        assertEquals(0x3F80, HalfFloats.floatToBf16(Float.intBitsToFloat(0x3F808000)) & 0xFFFF, "tie to even");
        assertEquals(0x3F82, HalfFloats.floatToBf16(Float.intBitsToFloat(0x3F818000)) & 0xFFFF, "tie to even");
        assertEquals(0x3F81, HalfFloats.floatToBf16(Float.intBitsToFloat(0x3F808001)) & 0xFFFF);
        assertEquals(0x7F80, HalfFloats.floatToBf16(Float.MAX_VALUE) & 0xFFFF, "overflow to infinity");
        assertTrue(Float.isNaN(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(Float.NaN))));
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = HalfFloats.bf16ToFloat((short) bits);
            if (!Float.isNaN(f)) {
                assertEquals(bits, HalfFloats.floatToBf16(f) & 0xFFFF);
            }
        }
    }

    @Test
    void f8DecodesKnownValues() {
        assertEquals(1.0f, HalfFloats.f8e4m3ToFloat((byte) 0x38));
        assertEquals(-1.0f, HalfFloats.f8e4m3ToFloat((byte) 0xB8));
        assertEquals(448f, HalfFloats.f8e4m3ToFloat((byte) 0x7E));
        assertEquals(0x1p-9f, HalfFloats.f8e4m3ToFloat((byte) 0x01));
        assertTrue(Float.isNaN(HalfFloats.f8e4m3ToFloat((byte) 0x7F)));
        assertEquals(1.0f, HalfFloats.f8e5m2ToFloat((byte) 0x3C));
        assertEquals(57344f, HalfFloats.f8e5m2ToFloat((byte) 0x7B));
        assertEquals(Float.POSITIVE_INFINITY, HalfFloats.f8e5m2ToFloat((byte) 0x7C));
        assertEquals(0x1p-16f, HalfFloats.f8e5m2ToFloat((byte) 0x01));
    }
}
