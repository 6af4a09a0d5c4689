package taskvec.workflow.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import taskvec.store.repo.Vector;
import taskvec.study.vectors.VectorMath;
import taskvec.workflow.RunContext;
import taskvec.workflow.plan.StudyPlan;

/**
 * LLM->VLM: how close the source model's task vectors are to the target's, per layer: metric
 * 'transfer_cosine' with keys {task, seed, spec, layer} (spec: text-examples or instruction).
 */
public final class TransferCosineWork implements ItemWork {
    public static final String METRIC = "transfer_cosine";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void execute(RunContext ctx, JsonNode parts) {
        JsonNode item = parts.get("item");
        String task = item.get("task").asText();
        int seed = item.get("seed").asInt();
        for (String name : StudyPlan.sourceSpecs(ctx.study(), true)) {
            String spec = name.substring(StudyPlan.SOURCE.length());
            List<Vector> source = EnsembleWork.means(ctx, ctx.source().name(), task, seed, name, Vector.Kind.MEAN);
            List<Vector> target = EnsembleWork.means(ctx, ctx.modelName(), task, seed, spec, Vector.Kind.MEAN);
            double[] cos = VectorMath.cosinePerLayer(EnsembleWork.layers(source), EnsembleWork.layers(target));
            for (int l = 0; l < cos.length; l++) {
                String keys = JSON.createObjectNode().put("task", task).put("seed", seed).put("spec", spec).put("layer", l).toString();
                ctx.store().metrics().put(ctx.runId(), METRIC, keys, cos[l]);
            }
        }
    }

    @Override
    public int expectedOutputs(RunContext ctx, JsonNode parts) {
        return StudyPlan.sourceSpecs(ctx.study(), true).size() * ctx.model().numLayers();
    }
}
