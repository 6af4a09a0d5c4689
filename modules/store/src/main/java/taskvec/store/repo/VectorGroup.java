package taskvec.store.repo;

import java.util.List;

/**
 * The stored vectors of one (model, task, spec, seed, kind, variant) of a run, one per layer,
 * described without their elements: the layers in order with each row's id and stored SHA-256,
 * and the common size. {@code spec} is the vector's canonical name (text-examples, source:instruction,
 * subset-r2:ensemble, query:image).
 */
public record VectorGroup(long runId, String model, String task, String spec, int seed, Vector.Kind kind, String variant,
                          int dim, List<Integer> layers, List<Long> ids, List<String> sha256) {
    public VectorGroup {
        layers = List.copyOf(layers);
        ids = List.copyOf(ids);
        sha256 = List.copyOf(sha256);
        if (layers.size() != ids.size() || layers.size() != sha256.size()) {
            throw new IllegalArgumentException("vector group " + task + "/" + spec + ": layers, ids and hashes differ in count");
        }
    }
}
