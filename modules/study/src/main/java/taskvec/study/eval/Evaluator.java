package taskvec.study.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import taskvec.model.EncodedPrompt;
import taskvec.model.Row;
import taskvec.model.RowResult;
import taskvec.model.hooks.Intervention;
import taskvec.model.runtime.LoadedModel;
import taskvec.study.config.Study;
import taskvec.study.data.Dataset;
import taskvec.study.prompt.PlannedPrompt;
import taskvec.study.prompt.PromptEncoder;
import taskvec.study.prompt.ResolvedPrompt;
import taskvec.study.scoring.AnswerScorer;
import taskvec.study.scoring.StopTokens;
import taskvec.study.vectors.VectorName;

/**
 * The evaluate step: greedy answers for prompts as they are (no-context and in-context
 * conditions) and for queries patched at the write position, every requested layer of every
 * patch vector as rows of ONE runtime call per query (the rows share the prompt, so the
 * runtime computes the unpatched prefix once).
 */
public final class Evaluator {
    /** Prompts per runtime call: bounds the preprocessed images held at once. */
    private static final int CHUNK = 16;
    private final LoadedModel model;
    private final PromptEncoder encoder;
    private final Dataset dataset;
    private final int maxNewTokens;
    private final Set<Integer> stopTokenIds;
    private final boolean lowercase;

    public Evaluator(LoadedModel model, PromptEncoder encoder, Dataset dataset, Study.Decoding decoding, boolean lowercase) {
        this.model = model;
        this.encoder = encoder;
        this.dataset = dataset;
        this.maxNewTokens = decoding.maxNewTokens();
        this.stopTokenIds = decoding.stopAtNewline() ? StopTokens.newline(model.tokenizer()::tokenId) : Set.of();
        this.lowercase = lowercase;
    }

    public Set<Integer> stopTokenIds() {
        return stopTokenIds;
    }

    /** One prediction per prompt, generated without interventions; layer -1; seed as given (0 when no seed applies). */
    public List<Prediction> generate(List<ResolvedPrompt> prompts, int seed, String condition) {
        List<Prediction> out = new ArrayList<>(prompts.size());
        for (int start = 0; start < prompts.size(); start += CHUNK) {
            List<ResolvedPrompt> chunk = prompts.subList(start, Math.min(prompts.size(), start + CHUNK));
            List<Row> rows = new ArrayList<>(chunk.size());
            for (ResolvedPrompt p : chunk) rows.add(new Row(encoder.encode(p), List.of(), List.of(), maxNewTokens, stopTokenIds));
            List<RowResult> results = model.run(rows);
            for (int i = 0; i < chunk.size(); i++) out.add(score(chunk.get(i).plan(), seed, condition, -1, results.get(i).generated()));
        }
        return out;
    }

    /** A named patch to sweep: the condition label, the task vector it comes from, and what is written at each layer. */
    public record Patch(String condition, VectorName name, PatchVector vector) {}

    /**
     * For each query, every patch at every layer in one runtime call (rows: patches x layers,
     * each patched at the query's write position). Predictions carry the layer.
     */
    public List<Prediction> patch(List<ResolvedPrompt> queries, int seed, List<Patch> patches, List<Integer> layers) {
        List<PatchAt> at = new ArrayList<>(patches.size() * layers.size());
        for (Patch patch : patches) {
            for (int layer : layers) at.add(new PatchAt(patch, layer));
        }
        return patchAt(queries, seed, at);
    }

    /** A patch at one layer (the test split runs each condition at its own chosen layer). */
    public record PatchAt(Patch patch, int layer) {}

    /** For each query, all the given (patch, layer) rows in one runtime call. */
    public List<Prediction> patchAt(List<ResolvedPrompt> queries, int seed, List<PatchAt> patches) {
        List<Prediction> out = new ArrayList<>();
        if (patches.isEmpty()) return out;
        for (ResolvedPrompt q : queries) {
            EncodedPrompt encoded = encoder.encode(q);
            List<Row> rows = new ArrayList<>(patches.size());
            for (PatchAt p : patches) rows.add(patchRow(encoded, q.writePosition(), p.patch().vector(), p.layer()));
            List<RowResult> results = model.run(rows);
            for (int k = 0; k < patches.size(); k++) {
                PatchAt p = patches.get(k);
                out.add(score(q.plan(), seed, p.patch().condition(), p.layer(), results.get(k).generated()));
            }
        }
        return out;
    }

    /** The runtime row for one patched layer (tests use it to compare the sweep with single runs). */
    public Row patchRow(EncodedPrompt encoded, int position, PatchVector vector, int layer) {
        List<Intervention> iv = List.of(vector.intervention(layer, position));
        return new Row(encoded, iv, List.of(), maxNewTokens, stopTokenIds);
    }

    /** Decodes generated ids (the stop token dropped, cut at a newline) and applies the accuracy rule. */
    public Prediction score(PlannedPrompt plan, int seed, String condition, int layer, int[] generated) {
        int n = generated.length;
        if (n > 0 && stopTokenIds.contains(generated[n - 1])) n--;
        int[] answerIds = java.util.Arrays.copyOf(generated, n);
        String text = AnswerScorer.answerText(model.tokenizer().decode(answerIds));
        String label = dataset.item(plan.task(), plan.split(), plan.item()).output();
        return new Prediction(plan.task(), seed, plan.split(), plan.item(), condition, layer, text, label,
                AnswerScorer.isCorrect(text, label, lowercase));
    }
}
