package taskvec.workflow.stage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import taskvec.store.repo.Vector;
import taskvec.study.data.Split;
import taskvec.study.vectors.LayerVectors;
import taskvec.study.vectors.VectorMath;
import taskvec.workflow.RunContext;

/**
 * average: the task vector of (task, seed, specification) per layer, the mean of its prompt
 * vectors in val-item order; an instruction vector is its single capture (the same for every
 * seed). Each mean names its parents.
 */
public final class AverageWork implements ItemWork {

    @Override
    public void execute(RunContext ctx, JsonNode parts) {
        JsonNode item = parts.get("item");
        String task = item.get("task").asText();
        int seed = item.get("seed").asInt();
        String spec = item.get("spec").asText();
        boolean instruction = spec.equals("instruction");
        List<Vector> prompts = ctx.store().vectors().list(ctx.runId(), ctx.modelName(), task, spec, instruction ? 0 : seed, Vector.Kind.PROMPT);
        List<String> order = new ArrayList<>();
        if (instruction) {
            order.add("instruction");
        } else {
            ctx.dataset().items(task, Split.VAL).forEach(i -> order.add(i.id()));
        }
        int layers = ctx.model().numLayers();
        // (variant -> layer -> vector), checked complete before averaging
        Map<String, Vector[]> byVariant = new TreeMap<>();
        for (Vector v : prompts) byVariant.computeIfAbsent(v.variant(), k -> new Vector[layers])[v.layer()] = v;
        List<LayerVectors> perPrompt = new ArrayList<>();
        for (String variant : order) {
            Vector[] vs = byVariant.get(variant);
            float[][] values = new float[layers][];
            for (int l = 0; l < layers; l++) {
                if (vs == null || vs[l] == null) {
                    throw new IllegalStateException("run " + ctx.runId() + ": no captured " + spec + " vector of " + task + " seed "
                            + seed + " item " + variant + " layer " + l + " (capture did not finish)");
                }
                values[l] = vs[l].elements();
            }
            perPrompt.add(new LayerVectors(values)); // (L, D)
        }
        LayerVectors mean = VectorMath.mean(perPrompt);
        List<Vector> rows = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            List<Long> parents = new ArrayList<>();
            for (String variant : order) parents.add(byVariant.get(variant)[l].id());
            rows.add(Vector.of(ctx.runId(), ctx.modelName(), task, spec, seed, l, Vector.Kind.MEAN, "", null, mean.layer(l), parents));
        }
        ctx.store().vectors().insertAll(rows);
    }

    @Override
    public int expectedOutputs(RunContext ctx, JsonNode parts) {
        JsonNode item = parts.get("item");
        return ctx.model().numLayers();
    }
}
