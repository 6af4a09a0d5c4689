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
import taskvec.model.LoadedModel;
import taskvec.study.prompt.Modality;
import taskvec.study.prompt.PromptEncoder;
import taskvec.study.prompt.PromptPlanner;
import taskvec.workflow.RunContext;
import taskvec.workflow.plan.StudyPlan;

/**
 * capture: the residual stream after every layer at the read position of each source prompt of a
 * shard (task, seed, specification, val items), or of the task's instruction; one 'prompt' vector
 * per (prompt, layer), linked to the prompt row prepare recorded. A "source:" specification runs
 * the same prompts on the source model (LLM->VLM; stored under its name, no prompt row: its
 * tokenization differs). A "query:{modality}" item captures the task's zero-shot val queries at
 * their write position ('query' vectors, the additive mode's baseline inputs).
 */
public final class CaptureWork implements ItemWork {

    @Override
    public void execute(RunContext ctx, JsonNode parts) {
        JsonNode item = parts.get("item");
        String task = item.get("task").asText();
        int seed = item.get("seed").asInt();
        String name = item.get("spec").asText();
        if (name.startsWith("query:")) {
            queries(ctx, task, Modality.parse(name.substring("query:".length())), item);
            return;
        }
        boolean onSource = name.startsWith(StudyPlan.SOURCE);
        Specification spec = Specification.parse(onSource ? name.substring(StudyPlan.SOURCE.length()) : name);
        LoadedModel model = onSource ? ctx.source().model() : ctx.model();
        PromptEncoder encoder = onSource ? ctx.source().encoder() : ctx.encoder();
        PromptPlanner planner = onSource ? ctx.source().planner() : ctx.planner();
        String modelName = onSource ? ctx.source().name() : ctx.modelName();
        List<PlannedPrompt> plans = new ArrayList<>();
        List<String> variants = new ArrayList<>();
        if (spec == Specification.INSTRUCTION) {
            plans.add(planner.instruction(task, ctx.study().specifications().instructions().get(task)));
            variants.add("instruction");
        } else {
            for (JsonNode id : item.get("items")) {
                plans.add(planner.source(task, seed, Split.VAL, ctx.dataset().item(task, Split.VAL, id.asText()), spec));
                variants.add(id.asText());
            }
        }
        List<ResolvedPrompt> resolved = encoder.resolveAll(plans);
        Map<String, Long> promptIds = promptIds(ctx, task, seed);
        List<LayerVectors> captured = VectorCapture.atRead(model, encoder, resolved); // per prompt (L, D)
        List<Vector> rows = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            String key = PrepareWork.rowKey(plans.get(i));
            Long promptId = promptIds.get(key);
            if (onSource) {
                promptId = null; // the row holds the target's tokenization
            } else if (promptId == null) {
                throw new IllegalStateException("run " + ctx.runId() + ": prepare recorded no prompt for " + plans.get(i).describe());
            }
            LayerVectors v = captured.get(i);
            for (int l = 0; l < v.numLayers(); l++) {
                rows.add(Vector.of(ctx.runId(), modelName, task, name, seed, l, Vector.Kind.PROMPT, variants.get(i),
                        promptId, v.layer(l), List.of()));
            }
        }
        ctx.store().vectors().insertAll(rows);
    }

    /** The zero-shot val queries of a task in one modality, at their write position (kind 'query', variant = item id). */
    private static void queries(RunContext ctx, String task, Modality modality, JsonNode item) {
        List<PlannedPrompt> plans = new ArrayList<>();
        for (JsonNode id : item.get("items")) plans.add(ctx.planner().query(task, Split.VAL, ctx.dataset().item(task, Split.VAL, id.asText()), modality));
        List<LayerVectors> captured = VectorCapture.atWrite(ctx.model(), ctx.encoder(), ctx.encoder().resolveAll(plans)); // per query (L, D)
        Map<String, Long> promptIds = promptIds(ctx, task, 0);
        List<Vector> rows = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            Long promptId = promptIds.get(PrepareWork.rowKey(plans.get(i)));
            if (promptId == null) {
                throw new IllegalStateException("run " + ctx.runId() + ": prepare recorded no prompt for " + plans.get(i).describe());
            }
            LayerVectors v = captured.get(i);
            for (int l = 0; l < v.numLayers(); l++) {
                rows.add(Vector.of(ctx.runId(), ctx.modelName(), task, StudyPlan.querySpec(modality), 0, l, Vector.Kind.QUERY,
                        plans.get(i).item(), promptId, v.layer(l), List.of()));
            }
        }
        ctx.store().vectors().insertAll(rows);
    }

    @Override
    public int expectedOutputs(RunContext ctx, JsonNode parts) {
        JsonNode item = parts.get("item");
        int prompts = item.get("spec").asText().endsWith("instruction") ? 1 : item.get("items").size();
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
