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
import taskvec.workflow.UpstreamMissingException;
import taskvec.workflow.plan.StudyPlan;

/**
 * average: the task vector of (task, seed, specification) per layer, the mean of its prompt
 * vectors in val-item order; an instruction vector is its single capture (the same for every
 * seed); a "source:" specification averages the source model's prompts. An item with a domain
 * makes the additive mode's baseline: the mean of the zero-shot query vectors of the domain's
 * tasks (in study order, then val order, as InMemoryStudy concatenates them). Each mean names
 * its parents.
 */
public final class AverageWork implements ItemWork {

    /** One captured prompt's vectors, layer by layer, and their row ids. */
    record Captured(LayerVectors values, long[] ids) {}

    @Override
    public void execute(RunContext ctx, JsonNode parts) {
        JsonNode item = parts.get("item");
        if (item.has("domain")) {
            baseline(ctx, parts);
            return;
        }
        String task = item.get("task").asText();
        int seed = item.get("seed").asInt();
        String spec = item.get("spec").asText();
        boolean instruction = spec.endsWith("instruction");
        String model = spec.startsWith(StudyPlan.SOURCE) ? ctx.source().name() : ctx.modelName();
        List<String> order = new ArrayList<>();
        if (instruction) {
            order.add("instruction");
        } else {
            ctx.dataset().items(task, Split.VAL).forEach(i -> order.add(i.id()));
        }
        List<Captured> captured = captured(ctx, model, task, spec, instruction ? 0 : seed, Vector.Kind.PROMPT, order);
        write(ctx, model, task, spec, seed, Vector.Kind.MEAN, captured);
    }

    private static void baseline(RunContext ctx, JsonNode parts) {
        JsonNode item = parts.get("item");
        String spec = item.get("spec").asText();
        List<Captured> captured = new ArrayList<>();
        for (JsonNode task : parts.get("settings").get("tasks")) {
            List<String> order = ctx.dataset().items(task.asText(), Split.VAL).stream().map(i -> i.id()).toList();
            captured.addAll(captured(ctx, ctx.modelName(), task.asText(), spec, 0, Vector.Kind.QUERY, order));
        }
        write(ctx, ctx.modelName(), item.get("domain").asText(), spec, 0, Vector.Kind.BASELINE, captured);
    }

    /** The mean of the captured vectors per layer, with every captured row of that layer as a parent. */
    private static void write(RunContext ctx, String model, String task, String spec, int seed, Vector.Kind kind, List<Captured> captured) {
        LayerVectors mean = VectorMath.mean(captured.stream().map(Captured::values).toList());
        List<Vector> rows = new ArrayList<>();
        for (int l = 0; l < mean.numLayers(); l++) {
            List<Long> parents = new ArrayList<>();
            for (Captured c : captured) parents.add(c.ids()[l]);
            rows.add(Vector.of(ctx.runId(), model, task, spec, seed, l, kind, "", null, mean.layer(l), parents));
        }
        ctx.store().vectors().insertAll(rows);
    }

    /** The stored per-prompt vectors of (task, spec, seed, kind) in the given variant order, each complete over the layers. */
    static List<Captured> captured(RunContext ctx, String model, String task, String spec, int seed, Vector.Kind kind, List<String> order) {
        int layers = ctx.model().numLayers();
        // (variant -> layer -> vector), checked complete before averaging
        Map<String, Vector[]> byVariant = new TreeMap<>();
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

    @Override
    public int expectedOutputs(RunContext ctx, JsonNode parts) {
        return ctx.model().numLayers();
    }
}
