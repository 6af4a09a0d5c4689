package taskvec.workflow.stage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import taskvec.store.repo.Vector;
import taskvec.study.vectors.LayerVectors;
import taskvec.study.vectors.VectorMath;
import taskvec.workflow.RunContext;

/** ensemble: exemplar_weight * text-examples + instruction_weight * instruction, per layer, with both as parents. */
public final class EnsembleWork implements ItemWork {

    @Override
    public void execute(RunContext ctx, JsonNode parts) {
        JsonNode item = parts.get("item");
        String task = item.get("task").asText();
        int seed = item.get("seed").asInt();
        List<Vector> examples = means(ctx, task, seed, "text-examples");
        List<Vector> instruction = means(ctx, task, seed, "instruction");
        double[] w = {ctx.study().ensembling().exemplarWeight(), ctx.study().ensembling().instructionWeight()};
        LayerVectors ens = VectorMath.weighted(List.of(layers(examples), layers(instruction)), w);
        List<Vector> rows = new ArrayList<>();
        for (int l = 0; l < ens.numLayers(); l++) {
            rows.add(Vector.of(ctx.runId(), ctx.modelName(), task, "ensemble", seed, l, Vector.Kind.ENSEMBLE, "", null, ens.layer(l),
                    List.of(examples.get(l).id(), instruction.get(l).id())));
        }
        ctx.store().vectors().insertAll(rows);
    }

    @Override
    public int expectedOutputs(RunContext ctx, JsonNode parts) {
        JsonNode item = parts.get("item");
        return ctx.model().numLayers();
    }

    static List<Vector> means(RunContext ctx, String task, int seed, String spec) {
        return means(ctx, task, seed, spec, Vector.Kind.MEAN);
    }

    /** The stored vector of (task, seed, spec) of a kind, one per layer in layer order; an error if any layer is missing. */
    static List<Vector> means(RunContext ctx, String task, int seed, String spec, Vector.Kind kind) {
        List<Vector> vs = ctx.store().vectors().list(ctx.runId(), ctx.modelName(), task, spec, seed, kind);
        if (vs.size() != ctx.model().numLayers()) {
            throw new IllegalStateException("run " + ctx.runId() + ": the " + spec + " vector of " + task + " seed " + seed
                    + " has " + vs.size() + " of " + ctx.model().numLayers() + " layers (an earlier stage did not finish)");
        }
        return vs;
    }

    static LayerVectors layers(List<Vector> byLayer) {
        float[][] values = new float[byLayer.size()][];
        for (int l = 0; l < values.length; l++) values[l] = byLayer.get(l).elements();
        return new LayerVectors(values); // (L, D)
    }
}
