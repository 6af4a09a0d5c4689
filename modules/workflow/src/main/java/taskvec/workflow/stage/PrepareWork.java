package taskvec.workflow.stage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import taskvec.model.PromptTokenizer;
import taskvec.store.repo.Prompt;
import taskvec.study.analysis.PhaseLens;
import taskvec.study.prompt.PlannedPrompt;
import taskvec.study.prompt.PromptPlanner;
import taskvec.study.prompt.ResolvedPrompt;
import taskvec.workflow.RunContext;

/** prepare: every prompt of a task, tokenized, with its read/write positions checked and recorded. */
public final class PrepareWork implements ItemWork {

    @Override
    public void execute(RunContext ctx, JsonNode parts) {
        JsonNode item = parts.get("item");
        List<Prompt> rows = new ArrayList<>(prompts(ctx, item.get("task").asText()).values());
        ctx.store().prompts().insertAll(rows);
    }

    @Override
    public int expectedOutputs(RunContext ctx, JsonNode parts) {
        JsonNode item = parts.get("item");
        return planned(ctx, item.get("task").asText()).size();
    }

    /** A planned prompt's row key: prompts that are the same text (a source prompt and its context twin) share a row. */
    static String rowKey(PlannedPrompt p) {
        return seed(p) + "|" + split(p) + "|" + itemId(p) + "|" + spec(p) + "|" + p.modality().label();
    }

    private static Map<String, PlannedPrompt> planned(RunContext ctx, String task) {
        Map<String, PlannedPrompt> out = new LinkedHashMap<>();
        for (PlannedPrompt p : PromptPlanner.studyPrompts(ctx.study(), ctx.dataset(), ctx.encoder().imagePlaceholder(),
                new PromptPlanner.Filter(task, null, null))) {
            out.putIfAbsent(rowKey(p), p);
        }
        return out;
    }

    private static Map<String, Prompt> prompts(RunContext ctx, String task) {
        Map<String, Prompt> out = new LinkedHashMap<>();
        for (Map.Entry<String, PlannedPrompt> e : planned(ctx, task).entrySet()) {
            PlannedPrompt p = e.getValue();
            ResolvedPrompt r = ctx.encoder().resolve(p);
            String answer = null;
            String answerToken = null;
            if (p.spec() == null) { // a zero-shot query: its answer and the first token the model would write of it
                answer = ctx.dataset().item(task, p.split(), p.item()).output();
                PromptTokenizer tokenizer = ctx.model().tokenizer();
                answerToken = tokenizer.decode(new int[] {PhaseLens.continuationId(tokenizer, p.text(), answer)});
            }
            out.put(e.getKey(), new Prompt(0, ctx.runId(), task, seed(p), split(p), itemId(p), spec(p), p.modality().label(), p.text(),
                    p.demos(), r.length(), r.readPosition(), r.readToken(), r.writePosition(), r.writeToken(), answer, answerToken));
        }
        return out;
    }

    static int seed(PlannedPrompt p) {
        return p.seed() == null ? 0 : p.seed();
    }

    static String split(PlannedPrompt p) {
        return p.split() == null ? "val" : p.split().fileName();
    }

    static String itemId(PlannedPrompt p) {
        return p.item() == null ? "" : p.item();
    }

    static String spec(PlannedPrompt p) {
        return p.spec() == null ? "query" : p.spec().label();
    }
}
