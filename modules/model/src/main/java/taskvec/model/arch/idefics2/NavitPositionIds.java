package taskvec.model.arch.idefics2;

/**
 * NaViT position ids: an image of rows x cols whole patches reads the side x side position table of a square
 * image (side = image_size / patch_size) at fractional coordinates, so any size and aspect ratio maps onto it.
 * Coordinate j of n is {@code float32(j) * float32(1 / n)}, clamped below 1, and its bucket is the number of the
 * table's boundaries {@code 1/side, 2/side, ...} (float32) at or below it (a value on a boundary goes up), as
 * transformers 5 computes it.
 */
public final class NavitPositionIds {

    private static final float BELOW_ONE = (float) (1 - 1e-6);

    private NavitPositionIds() {
    }

    /** Row-major position ids of a rows x cols grid: bucket(row) * side + bucket(col). */
    public static long[] of(int rows, int cols, int side) {
        int[] r = buckets(rows, side);
        int[] c = buckets(cols, side);
        long[] ids = new long[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                ids[i * cols + j] = (long) r[i] * side + c[j];
            }
        }
        return ids;
    }

    /** The bucket of each coordinate 0..n-1 along one axis. */
    static int[] buckets(int n, int side) {
        float[] boundaries = boundaries(side);
        float step = (float) (1.0 / n);
        int[] out = new int[n];
        for (int j = 0; j < n; j++) {
            float frac = Math.min((float) j * step, BELOW_ONE);
            int bucket = 0;
            while (bucket < boundaries.length && boundaries[bucket] <= frac) {
                bucket++;
            }
            out[j] = bucket;
        }
        return out;
    }

    /** arange(1/side, 1.0, 1/side) as float32: each value computed in double, then rounded. */
    private static float[] boundaries(int side) {
        double d = 1.0 / side;
        int count = (int) Math.ceil((1.0 - d) / d);
        float[] b = new float[count];
        for (int i = 0; i < count; i++) {
            b[i] = (float) (d + i * d);
        }
        return b;
    }
}
