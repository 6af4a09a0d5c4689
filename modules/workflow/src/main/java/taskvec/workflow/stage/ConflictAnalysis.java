package taskvec.workflow.stage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import taskvec.store.repo.AnalysisRepository;
import taskvec.store.repo.ResultViews;
import taskvec.store.repo.Vector;
import taskvec.study.analysis.ConflictAnswer;
import taskvec.study.analysis.ConflictShares;
import taskvec.study.analysis.ConflictTally;
import taskvec.study.data.Domains;
import taskvec.study.data.Split;
import taskvec.study.data.TaskItem;
import taskvec.study.eval.Evaluator;
import taskvec.study.eval.PatchVector;
import taskvec.study.eval.Prediction;
import taskvec.study.prompt.Modality;
import taskvec.study.prompt.ModalityPair;
import taskvec.study.prompt.PlannedPrompt;
import taskvec.study.prompt.Specification;
import taskvec.study.scoring.AnswerScorer;
import taskvec.study.vectors.VectorName;
import taskvec.workflow.context.RunContext;
import taskvec.workflow.context.StudyModel;

/**
 * The analyze stage's 'conflict' item: test queries prompted in context with one task and patched
 * with the vector of another task of the same domain, at the layer val chose; how often the
 * answer follows the patched task, the prompted one, or neither.
 */
final class ConflictAnalysis {
    private ConflictAnalysis() {}

    /** The tasks of the study in domains that hold at least two of them. */
    static Map<String, List<String>> domains(List<String> tasks) {
        Map<String, List<String>> byDomain = new LinkedHashMap<>();
        for (String t : tasks) byDomain.computeIfAbsent(Domains.of(t), d -> new ArrayList<>()).add(t);
        byDomain.values().removeIf(l -> l.size() < 2);
        return byDomain;
    }

    static void run(RunContext ctx) {
        int seed = ctx.study().seeds().get(0);
        List<Specification> specs = AnalyzeStage.exampleSpecs(ctx);
        if (specs.isEmpty()) return;
        Specification spec = specs.get(0);
        ModalityPair pair = ctx.study().modalityPairs().stream().filter(p -> p.source() == spec.modality()).findFirst()
                .orElse(ctx.study().modalityPairs().get(0));
        Modality target = pair.target();
        StudyModel model = ctx.target();
        int layer = chosenLayer(ctx, spec.label(), target.label());
        boolean lowercase = ctx.study().lowercase();
        List<AnalysisRepository.ConflictRow> rows = new ArrayList<>();
        for (List<String> domain : domains(ctx.study().tasks()).values()) {
            for (String prompted : domain) {
                for (String patched : domain) {
                    if (prompted.equals(patched)) continue;
                    List<Vector> vector = ctx.store().vectors().list(ctx.runId(), model.name(), patched, spec.label(), seed, Vector.Kind.MEAN);
                    if (vector.isEmpty()) continue;
                    Map<String, String> patchedLabels = new LinkedHashMap<>();
                    for (TaskItem t : ctx.dataset().items(patched, Split.TEST)) patchedLabels.put(t.input(), t.output());
                    List<PlannedPrompt> plans = new ArrayList<>();
                    for (TaskItem q : ctx.dataset().items(prompted, Split.TEST)) {
                        if (patchedLabels.containsKey(q.input())) plans.add(model.planner().context(prompted, seed, Split.TEST, q, spec.modality(), target));
                    }
                    if (plans.isEmpty()) continue;
                    Evaluator.Patch patch = new Evaluator.Patch("conflict", VectorName.of(spec), PatchVector.replace(SimilarityAnalysis.byLayer(vector)));
                    List<Prediction> answers = model.evaluator().patchAt(model.encoder().resolveAll(plans), seed, List.of(new Evaluator.PatchAt(patch, layer)));
                    List<ConflictAnswer> tally = new ArrayList<>();
                    for (int i = 0; i < answers.size(); i++) {
                        TaskItem q = ctx.dataset().item(prompted, Split.TEST, plans.get(i).item());
                        tally.add(new ConflictAnswer(answers.get(i).prediction(), q.output(), patchedLabels.get(q.input())));
                    }
                    ConflictShares s = ConflictTally.shares(tally, (o, l) -> AnswerScorer.isCorrect(o, l, lowercase));
                    rows.add(new AnalysisRepository.ConflictRow(prompted, patched, spec.label(), target.label(), layer, s.n(), s.patched(),
                            s.prompted(), s.neither()));
                }
            }
        }
        ctx.store().analyses().insertConflict(ctx.runId(), model.name(), rows);
    }

    /** The replace patch's chosen (val) layer of a vector for a query modality, else the middle layer. */
    private static int chosenLayer(RunContext ctx, String spec, String modality) {
        for (ResultViews.BestLayer b : ctx.store().views().bestLayers(ctx.runId())) {
            if (b.model().equals(ctx.target().name()) && b.spec().equals(spec) && b.modality().equals(modality)
                    && "replace".equals(b.mode()) && b.alpha() == null) {
                return b.layer();
            }
        }
        return ctx.target().numLayers() / 2;
    }
}
