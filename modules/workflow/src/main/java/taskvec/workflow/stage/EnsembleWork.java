package taskvec.workflow.stage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import taskvec.store.repo.Vector;
import taskvec.study.vectors.LayerVectors;
import taskvec.study.vectors.VectorMath;
import taskvec.workflow.RunContext;
import taskvec.workflow.UpstreamMissingException;

/**
 * ensemble: exemplar_weight * text-examples + instruction_weight * instruction, per layer, with both
 * as parents; of the source model's vectors for spec "source:ensemble".
 */
public final class EnsembleWork implements ItemWork {

    @Override
    public void execute(RunContext ctx, JsonNode parts) {
        JsonNode item = parts.get("item");
        String task = item.get("task").asText();
        int seed = item.get("seed").asInt();
        String spec = item.path("spec").asText("ensemble");
        String prefix = spec.substring(0, spec.length() - "ensemble".length());
        String model = prefix.isEmpty() ? ctx.modelName() : ctx.source().name();
        List<Vector> examples = means(ctx, model, task, seed, prefix + "text-examples", Vector.Kind.MEAN);
        List<Vector> instruction = means(ctx, model, task, seed, prefix + "instruction", Vector.Kind.MEAN);
        double[] w = {ctx.study().ensembling().exemplarWeight(), ctx.study().ensembling().instructionWeight()};
        LayerVectors ens = VectorMath.weighted(List.of(layers(examples), layers(instruction)), w);
        List<Vector> rows = new ArrayList<>();
        for (int l = 0; l < ens.numLayers(); l++) {
            rows.add(Vector.of(ctx.runId(), model, task, spec, seed, l, Vector.Kind.ENSEMBLE, "", null, ens.layer(l),
                    List.of(examples.get(l).id(), instruction.get(l).id())));
        }
        ctx.store().vectors().insertAll(rows);
    }

    @Override
    public int expectedOutputs(RunContext ctx, JsonNode parts) {
        JsonNode item = parts.get("item");
        return ctx.model().numLayers();
    }

    /** The stored vector of (model, task, seed, spec) of a kind, one per layer in layer order; an error if any layer is missing. */
    static List<Vector> means(RunContext ctx, String model, String task, int seed, String spec, Vector.Kind kind) {
        List<Vector> vs = ctx.store().vectors().list(ctx.runId(), model, task, spec, seed, kind).stream()
                .filter(v -> v.variant().isEmpty()).toList();
        if (vs.size() != ctx.model().numLayers()) {
            throw new UpstreamMissingException("run " + ctx.runId() + ": the " + spec + " vector of " + task + " seed " + seed
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
