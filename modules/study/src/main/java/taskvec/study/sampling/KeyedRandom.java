package taskvec.study.sampling;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;

/**
 * A random generator whose seed is a pure function of a key: the first 8 bytes (big-endian) of
 * SHA-256 of the key's parts joined with '|'. Nothing depends on global random state, thread
 * timing or the order in which keys are visited.
 */
public final class KeyedRandom {
    private KeyedRandom() {}

    public static long seedOf(Object... parts) {
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) key.append('|');
            key.append(parts[i]);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.toString().getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    public static SplittableRandom forKey(Object... parts) {
        return new SplittableRandom(seedOf(parts));
    }

    /**
     * The first k indices of a seeded Fisher-Yates shuffle of 0..n-1: k distinct indices in
     * random order.
     */
    public static int[] choose(SplittableRandom random, int n, int k) {
        if (k > n) throw new IllegalArgumentException("cannot choose " + k + " of " + n);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int[] out = new int[k];
        System.arraycopy(idx, 0, out, 0, k);
        return out;
    }
}
