package taskvec.model.arch.idefics2;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import taskvec.model.safetensors.SafetensorsFile;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bucketed NaViT coordinates match the reference tables of preprocess2 (70 = idefics2-8b's 980 / 14). */
class NavitPositionIdsTest {

    private static final Path EXPECTED = Path.of("src/test/resources/fixtures/preprocess2/expected.safetensors");

    @ParameterizedTest
    @ValueSource(ints = {70, 8, 10})
    void everyLengthUpToTheSideBucketsAsTheReference(int side) {
        try (SafetensorsFile file = SafetensorsFile.open(EXPECTED)) {
            long[] table = file.readLongs("navit/buckets_" + side); // [n-1, j], -1 past n
            assertEquals(side * side, table.length);
            for (int n = 1; n <= side; n++) {
                int[] want = Arrays.stream(Arrays.copyOfRange(table, (n - 1) * side, (n - 1) * side + n))
                        .mapToInt(v -> (int) v).toArray();
                assertArrayEquals(want, NavitPositionIds.buckets(n, side), "n = " + n + " of side " + side);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8})
    void idsAreRowBucketTimesSidePlusColumnBucket(int side) {
        // 2 x 3 patches: rows at buckets 0, 4; columns at 0, 2, 5
        assertArrayEquals(new long[] {0, 2, 5, 32, 34, 37}, NavitPositionIds.of(2, 3, side));
    }
}
