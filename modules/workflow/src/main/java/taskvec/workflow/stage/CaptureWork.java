package taskvec.workflow.stage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import taskvec.store.repo.Prompt;
import taskvec.store.repo.Vector;
import taskvec.study.data.Split;
import taskvec.study.prompt.PlannedPrompt;
import taskvec.study.prompt.ResolvedPrompt;
import taskvec.study.prompt.Specification;
import taskvec.study.vectors.LayerVectors;
import taskvec.study.vectors.VectorCapture;
import taskvec.workflow.RunContext;

/**
 * capture: the residual stream after every layer at the read position of each source prompt of a
 * shard (task, seed, specification, val items), or of the task's instruction; one 'prompt' vector
 * per (prompt, layer), linked to the prompt row prepare recorded.
 */
public final class CaptureWork implements ItemWork {

    @Override
    public void execute(RunContext ctx, JsonNode parts) {
        JsonNode item = parts.get("item");
        String task = item.get("task").asText();
        int seed = item.get("seed").asInt();
        Specification spec = Specification.parse(item.get("spec").asText());
        List<PlannedPrompt> plans = new ArrayList<>();
        List<String> variants = new ArrayList<>();
        if (spec == Specification.INSTRUCTION) {
            plans.add(ctx.planner().instruction(task, ctx.study().specifications().instructions().get(task)));
            variants.add("instruction");
        } else {
            for (JsonNode id : item.get("items")) {
                plans.add(ctx.planner().source(task, seed, Split.VAL, ctx.dataset().item(task, Split.VAL, id.asText()), spec));
                variants.add(id.asText());
            }
        }
        List<ResolvedPrompt> resolved = ctx.encoder().resolveAll(plans);
        Map<String, Long> promptIds = promptIds(ctx, task, seed);
        List<LayerVectors> captured = VectorCapture.atRead(ctx.model(), ctx.encoder(), resolved); // per prompt (L, D)
        List<Vector> rows = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            String key = PrepareWork.rowKey(plans.get(i));
            Long promptId = promptIds.get(key);
            if (promptId == null) {
                throw new IllegalStateException("run " + ctx.runId() + ": prepare recorded no prompt for " + plans.get(i).describe());
            }
            LayerVectors v = captured.get(i);
            for (int l = 0; l < v.numLayers(); l++) {
                rows.add(Vector.of(ctx.runId(), ctx.modelName(), task, spec.label(), seed, l, Vector.Kind.PROMPT, variants.get(i),
                        promptId, v.layer(l), List.of()));
            }
        }
        ctx.store().vectors().insertAll(rows);
    }

    @Override
    public int expectedOutputs(RunContext ctx, JsonNode parts) {
        JsonNode item = parts.get("item");
        int prompts = item.get("spec").asText().equals("instruction") ? 1 : item.get("items").size();
        return prompts * ctx.model().numLayers();
    }

    private static Map<String, Long> promptIds(RunContext ctx, String task, int seed) {
        Map<String, Long> out = new HashMap<>();
        for (Prompt p : ctx.store().prompts().list(ctx.runId(), task, seed, "val")) {
            out.put(p.seed() + "|" + p.split() + "|" + p.itemId() + "|" + p.spec() + "|" + p.modality(), p.id());
        }
        return out;
    }
}
