package taskvec.workflow.stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import taskvec.store.repo.Vector;
import taskvec.study.vectors.LayerVectors;
import taskvec.study.vectors.VectorName;
import taskvec.workflow.context.RunContext;
import taskvec.workflow.context.UpstreamMissingException;
import taskvec.workflow.plan.StageItem;

/**
 * The vectors earlier stages stored: which item stores a vector, reading them checked complete over
 * the layers (missing ones mean earlier work failed), and writing them with their parents.
 */
final class StoredVectors {
    private StoredVectors() {}

    /** One captured prompt's vectors, layer by layer, and their row ids. */
    record Captured(LayerVectors values, long[] ids) {}

    /** The stored per-prompt vectors of (model, task, spec, seed, kind) in the given variant order. */
    static List<Captured> captured(RunContext ctx, String model, String task, String spec, int seed, Vector.Kind kind, List<String> order) {
        int layers = ctx.target().numLayers();
        Map<String, Vector[]> byVariant = new TreeMap<>(); // variant -> layer -> vector
        for (Vector v : ctx.store().vectors().list(ctx.runId(), model, task, spec, seed, kind)) {
            byVariant.computeIfAbsent(v.variant(), k -> new Vector[layers])[v.layer()] = v;
        }
        List<Captured> out = new ArrayList<>();
        for (String variant : order) {
            Vector[] vs = byVariant.get(variant);
            float[][] values = new float[layers][];
            long[] ids = new long[layers];
            for (int l = 0; l < layers; l++) {
                if (vs == null || vs[l] == null) {
                    throw new UpstreamMissingException("run " + ctx.runId() + ": no captured " + spec + " vector of " + task + " seed "
                            + seed + " item " + variant + " layer " + l + " (capture did not finish)");
                }
                values[l] = vs[l].elements();
                ids[l] = vs[l].id();
            }
            out.add(new Captured(new LayerVectors(values), ids)); // (L, D)
        }
        return out;
    }

    /** The stored vector of (model, task, seed, spec) of a kind, one row per layer in layer order; an error if any layer is missing. */
    static List<Vector> layerRows(RunContext ctx, String model, String task, int seed, String spec, Vector.Kind kind) {
        List<Vector> vs = ctx.store().vectors().list(ctx.runId(), model, task, spec, seed, kind).stream()
                .filter(v -> v.variant().isEmpty()).toList();
        if (vs.size() != ctx.target().numLayers()) {
            throw new UpstreamMissingException("run " + ctx.runId() + ": the " + spec + " vector of " + task + " seed " + seed
                    + " has " + vs.size() + " of " + ctx.target().numLayers() + " layers (an earlier stage did not finish)");
        }
        return vs;
    }

    /** The item that stores a vector: the ensemble stage's subsets or ensemble item, or the average stage's. */
    static StageItem madeBy(String task, int seed, VectorName name) {
        if (name.isSubset()) return new EnsembleStage.SubsetsItem(task, seed);
        if (name.recipe() == VectorName.Recipe.ENSEMBLE) return new EnsembleStage.Item(task, seed, name);
        return new AverageStage.Item(task, seed, name);
    }

    /** The kind a vector is stored as: a subset's, an ensemble's or a mean's. */
    static Vector.Kind kindOf(VectorName name) {
        if (name.isSubset()) return Vector.Kind.SUBSET;
        return name.recipe() == VectorName.Recipe.ENSEMBLE ? Vector.Kind.ENSEMBLE : Vector.Kind.MEAN;
    }

    static LayerVectors values(List<Vector> byLayer) {
        float[][] values = new float[byLayer.size()][];
        for (int l = 0; l < values.length; l++) values[l] = byLayer.get(l).elements();
        return new LayerVectors(values); // (L, D)
    }

    /** Stores a per-layer vector (variant "") with each layer's parents; returns the row ids by layer. */
    static List<Long> write(RunContext ctx, String model, String task, String spec, int seed, Vector.Kind kind, LayerVectors v,
                            List<List<Long>> parents) {
        List<Vector> rows = new ArrayList<>();
        for (int l = 0; l < v.numLayers(); l++) {
            rows.add(Vector.of(ctx.runId(), model, task, spec, seed, l, kind, "", null, v.layer(l), parents.get(l)));
        }
        return ctx.store().vectors().insertAll(rows);
    }

    /** The row ids of a vector's layers, in layer order. */
    static List<Long> ids(List<Vector> byLayer) {
        return byLayer.stream().map(Vector::id).toList();
    }

    /** The parents of each layer of a vector made from two: the row of that layer of each. */
    static List<List<Long>> parents(List<Long> a, List<Long> b) {
        List<List<Long>> out = new ArrayList<>();
        for (int l = 0; l < a.size(); l++) out.add(List.of(a.get(l), b.get(l)));
        return out;
    }

    /** The parents of each layer of a mean: every captured row of that layer. */
    static List<List<Long>> parents(List<Captured> captured, int layers) {
        List<List<Long>> out = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            List<Long> p = new ArrayList<>();
            for (Captured c : captured) p.add(c.ids()[l]);
            out.add(p);
        }
        return out;
    }
}
