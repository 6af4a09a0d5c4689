package taskvec.model.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PillowResamplerTest {

    @Test
    void bilinearUpscaleTrimsAndRenormalizesTapsAtTheEdges() {
        // Hand-computed with Pillow's rules: centers at 0.25, 0.75, 1.25, 1.75; taps that fall off the
        // image are dropped and the rest renormalized, so the ends copy the edge pixels.
        RgbImage row = gray(new int[] {0, 255}, 2, 1);
        RgbImage out = PillowResampler.resize(row, 4, 1, ResampleFilter.BILINEAR);
        assertArrayEquals(new int[] {0, 64, 191, 255}, channel0(out));
    }

    @Test
    void boxHalvingAveragesPairsRoundingHalfUp() {
        RgbImage row = gray(new int[] {0, 1, 10, 20, 255, 254, 7, 7}, 8, 1);
        RgbImage out = PillowResampler.resize(row, 4, 1, ResampleFilter.BOX);
        assertArrayEquals(new int[] {1, 15, 255, 7}, channel0(out));
    }

    @Test
    void bicubicOvershootIsClampedTo8Bits() {
        // A hard step rings under the a = -0.5 kernel; the 8-bit rounding must clamp, not wrap.
        RgbImage row = gray(new int[] {0, 0, 255, 255}, 4, 1);
        int[] out = channel0(PillowResampler.resize(row, 16, 1, ResampleFilter.BICUBIC));
        for (int v : out) {
            assertEquals(v, Math.max(0, Math.min(255, v)));
        }
        assertEquals(0, out[0]);
        assertEquals(255, out[15]);
    }

    @ParameterizedTest
    @EnumSource(ResampleFilter.class)
    void constantImagesStayConstant(ResampleFilter filter) {
        byte[] rgb = new byte[13 * 9 * 3];
        for (int i = 0; i < rgb.length; i += 3) {
            rgb[i] = 17;
            rgb[i + 1] = (byte) 128;
            rgb[i + 2] = (byte) 250;
        }
        RgbImage image = new RgbImage(13, 9, rgb);
        for (int[] size : new int[][] {{40, 31}, {5, 4}, {13, 20}, {3, 9}, {1, 1}}) {
            RgbImage out = PillowResampler.resize(image, size[0], size[1], filter);
            assertEquals(size[0], out.width());
            assertEquals(size[1], out.height());
            for (int i = 0; i < out.rgb().length; i += 3) {
                assertEquals(17, out.rgb()[i] & 0xFF, filter + " to " + size[0] + "x" + size[1]);
                assertEquals(128, out.rgb()[i + 1] & 0xFF);
                assertEquals(250, out.rgb()[i + 2] & 0xFF);
            }
        }
    }

    @Test
    void sameSizeIsReturnedUnchanged() {
        RgbImage image = random(7, 5, 1);
        assertSame(image, PillowResampler.resize(image, 7, 5, ResampleFilter.BICUBIC));
    }

    @Test
    void verticalPassMatchesHorizontalPassOnTheTransposedImage() {
        RgbImage image = random(23, 17, 2);
        RgbImage down = PillowResampler.resize(image, 23, 6, ResampleFilter.BICUBIC);
        RgbImage downTransposed = PillowResampler.resize(transpose(image), 6, 23, ResampleFilter.BICUBIC);
        assertArrayEquals(down.rgb(), transpose(downTransposed).rgb());

        RgbImage up = PillowResampler.resize(image, 23, 40, ResampleFilter.LANCZOS);
        RgbImage upTransposed = PillowResampler.resize(transpose(image), 40, 23, ResampleFilter.LANCZOS);
        assertArrayEquals(up.rgb(), transpose(upTransposed).rgb());
    }

    @Test
    void twoPassResizeIsHorizontalThenVerticalWith8BitRoundingBetween() {
        // Doing the passes separately (each an 8-bit image) gives exactly the two-pass result.
        RgbImage image = random(31, 19, 3);
        RgbImage direct = PillowResampler.resize(image, 12, 45, ResampleFilter.BICUBIC);
        RgbImage staged = PillowResampler.resize(PillowResampler.resize(image, 12, 19, ResampleFilter.BICUBIC),
                12, 45, ResampleFilter.BICUBIC);
        assertArrayEquals(staged.rgb(), direct.rgb());
    }

    private static RgbImage gray(int[] values, int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < values.length; i++) {
            rgb[i * 3] = (byte) values[i];
            rgb[i * 3 + 1] = (byte) values[i];
            rgb[i * 3 + 2] = (byte) values[i];
        }
        return new RgbImage(w, h, rgb);
    }

    private static int[] channel0(RgbImage image) {
        int[] out = new int[image.width() * image.height()];
        for (int i = 0; i < out.length; i++) {
            out[i] = image.rgb()[i * 3] & 0xFF;
        }
        return out;
    }

    private static RgbImage random(int w, int h, long seed) {
        byte[] rgb = new byte[w * h * 3];
        new Random(seed).nextBytes(rgb);
        return new RgbImage(w, h, rgb);
    }

    private static RgbImage transpose(RgbImage image) {
        int w = image.width();
        int h = image.height();
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    out[(x * h + y) * 3 + c] = image.rgb()[(y * w + x) * 3 + c];
                }
            }
        }
        return new RgbImage(h, w, out);
    }
}
