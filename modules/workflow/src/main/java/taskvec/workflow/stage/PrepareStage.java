package taskvec.workflow.stage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import taskvec.model.PromptTokenizer;
import taskvec.store.repo.ItemRows;
import taskvec.store.repo.Prompt;
import taskvec.study.analysis.PhaseLens;
import taskvec.study.design.StudyPrompts;
import taskvec.study.prompt.PlannedPrompt;
import taskvec.study.prompt.PromptPlanner;
import taskvec.study.prompt.ResolvedPrompt;
import taskvec.workflow.context.RunContext;
import taskvec.workflow.plan.ItemKeys;
import taskvec.workflow.plan.PlannedItem;
import taskvec.workflow.plan.PlannedStages;
import taskvec.workflow.plan.StageItem;

/**
 * prepare: every prompt of a task, tokenized on the target model, with its read and write
 * positions checked; writes one {@code prompts} row per distinct prompt. Item: a task.
 */
public final class PrepareStage implements Stage {

    public record Item(String task) implements StageItem {
        @Override
        public Map<String, Object> keyPart() {
            return Map.of("task", task);
        }
    }

    @Override
    public String name() {
        return "prepare";
    }

    @Override
    public Map<String, Object> settings(RunContext ctx) {
        Map<String, Object> s = ItemKeys.promptSettings(ctx);
        s.put("tasks", ctx.study().tasks());
        return s;
    }

    @Override
    public Map<String, Object> stageInputs(RunContext ctx, List<PlannedItem> items) {
        Map<String, String> all = new TreeMap<>();
        for (String task : ctx.study().tasks()) all.putAll(ItemKeys.annotationHashes(ctx, task));
        return Map.of("annotations", all);
    }

    @Override
    public List<PlannedItem> plan(RunContext ctx, PlannedStages earlier) {
        List<PlannedItem> out = new ArrayList<>();
        for (String task : ctx.study().tasks()) {
            Map<String, Object> settings = ItemKeys.promptSettings(ctx);
            settings.put("instruction", ctx.study().specifications().instructions().get(task));
            out.add(ItemKeys.item(ctx, name(), new Item(task), settings, Map.of("annotations", ItemKeys.annotationHashes(ctx, task))));
        }
        return out;
    }

    @Override
    public void execute(RunContext ctx, JsonNode parts) {
        String task = parts.get("item").get("task").asText();
        List<Prompt> rows = new ArrayList<>();
        for (PlannedPrompt p : planned(ctx, task).values()) {
            ResolvedPrompt r = ctx.target().encoder().resolve(p);
            String answer = null;
            String answerToken = null;
            if (p.spec() == null) { // a zero-shot query: its answer and the first token the model would write of it
                answer = ctx.dataset().item(task, p.split(), p.item()).output();
                PromptTokenizer tokenizer = ctx.target().model().tokenizer();
                answerToken = tokenizer.decode(new int[] {PhaseLens.continuationId(tokenizer, p.text(), answer)});
            }
            rows.add(new Prompt(0, ctx.runId(), task, seed(p), split(p), itemId(p), spec(p), p.modality().label(), p.text(),
                    p.demos(), r.length(), r.readPosition(), r.readToken(), r.writePosition(), r.writeToken(), answer, answerToken));
        }
        ctx.store().prompts().insertAll(rows);
    }

    @Override
    public int expectedOutputs(RunContext ctx, JsonNode parts) {
        return planned(ctx, parts.get("item").get("task").asText()).size();
    }

    @Override
    public ItemRows outputs(JsonNode item) {
        return ItemRows.of(ItemRows.Table.PROMPTS, "task", item.get("task").asText());
    }

    /** A prompt's row key: prompts that are the same text (a source prompt and its context twin) share a row. */
    static String rowKey(PlannedPrompt p) {
        return rowKey(seed(p), split(p), itemId(p), spec(p), p.modality().label());
    }

    static String rowKey(Prompt p) {
        return rowKey(p.seed(), p.split(), p.itemId(), p.spec(), p.modality());
    }

    private static String rowKey(int seed, String split, String item, String spec, String modality) {
        return seed + "|" + split + "|" + item + "|" + spec + "|" + modality;
    }

    private static Map<String, PlannedPrompt> planned(RunContext ctx, String task) {
        Map<String, PlannedPrompt> out = new LinkedHashMap<>();
        for (PlannedPrompt p : StudyPrompts.of(ctx.study(), ctx.dataset(), ctx.target().encoder().imagePlaceholder(),
                new StudyPrompts.Filter(task, null, null))) {
            out.putIfAbsent(rowKey(p), p);
        }
        return out;
    }

    private static int seed(PlannedPrompt p) {
        return p.seed() == null ? 0 : p.seed();
    }

    private static String split(PlannedPrompt p) {
        return p.split() == null ? "val" : p.split().fileName();
    }

    private static String itemId(PlannedPrompt p) {
        return p.item() == null ? "" : p.item();
    }

    private static String spec(PlannedPrompt p) {
        return p.spec() == null ? "query" : p.spec().label();
    }
}
