package taskvec.store.repo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A stored vector: what it is (model, task, spec, seed, layer, kind, variant), where it came from
 * (the prompt for kind 'prompt', the parent vectors for means and ensembles) and its elements.
 * {@code id} is 0 and {@code sha256} is computed for one not yet stored.
 */
public record Vector(long id, long runId, String model, String task, String spec, int seed, int layer, Kind kind,
                     String variant, Long promptId, float[] elements, String sha256, List<Long> parents) {

    /** QUERY: a zero-shot query at its write position; BASELINE: their mean per (domain, modality), for the additive mode. */
    public enum Kind { PROMPT, MEAN, SUBSET, ENSEMBLE, QUERY, BASELINE;
        public String db() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Vector {
        if (elements.length == 0) throw new IllegalArgumentException("vector " + model + "/" + task + "/" + layer + ": no elements");
        parents = List.copyOf(parents);
        if (sha256 == null) sha256 = sha256(elements);
    }

    /** A vector to store (its id and hash are filled in). */
    public static Vector of(long runId, String model, String task, String spec, int seed, int layer, Kind kind,
                            String variant, Long promptId, float[] elements, List<Long> parents) {
        return new Vector(0, runId, model, task, spec, seed, layer, kind, variant, promptId, elements, null, parents);
    }

    /** SHA-256 over the elements as little-endian float32 bytes. */
    public static String sha256(float[] elements) {
        ByteBuffer bytes = ByteBuffer.allocate(elements.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(elements);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the elements still hash to the stored SHA-256 (outputs intact, safe to reuse). */
    public boolean intact() {
        return sha256.equals(sha256(elements));
    }
}
