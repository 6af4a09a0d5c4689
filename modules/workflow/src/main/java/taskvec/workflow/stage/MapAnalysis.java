package taskvec.workflow.stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import taskvec.model.Row;
import taskvec.model.RowResult;
import taskvec.model.hooks.Capture;
import taskvec.model.hooks.HookName;
import taskvec.store.repo.AnalysisRepository;
import taskvec.store.repo.Vector;
import taskvec.study.analysis.ContextEmbedding;
import taskvec.study.analysis.DemonstrationSpans;
import taskvec.study.analysis.Pca2d;
import taskvec.study.data.Split;
import taskvec.study.prompt.PlannedPrompt;
import taskvec.study.prompt.ResolvedPrompt;
import taskvec.study.prompt.Specification;
import taskvec.workflow.context.RunContext;
import taskvec.workflow.context.StudyModel;

/** The analyze stage's 'map' item: PCA to 2-D of the first seed's prompt vectors at one layer, and of the contexts they came from. */
final class MapAnalysis {
    private MapAnalysis() {}

    /** One point of the map before projection. */
    private record Point(String kind, String task, Specification spec, String item, float[] value) {}

    static void run(RunContext ctx, int layer) {
        int seed = ctx.study().seeds().get(0);
        StudyModel target = ctx.target();
        HookName embed = HookName.block("", 0, "hook_resid_pre"); // the input embeddings, image features merged in
        List<Point> vectors = new ArrayList<>(), contexts = new ArrayList<>();
        String placeholder = target.encoder().imagePlaceholder();
        for (String task : ctx.study().tasks()) {
            for (Specification spec : AnalyzeStage.exampleSpecs(ctx)) {
                for (Vector v : ctx.store().vectors().list(ctx.runId(), target.name(), task, spec.label(), seed, Vector.Kind.PROMPT)) {
                    if (v.layer() != layer) continue;
                    vectors.add(new Point("task_vector", task, spec, v.variant(), v.elements()));
                    // the context it came from: mean over demonstrations of the mean embedding of each one's input
                    PlannedPrompt plan = target.planner().source(task, seed, Split.VAL, ctx.dataset().item(task, Split.VAL, v.variant()), spec);
                    ResolvedPrompt r = target.encoder().resolve(plan);
                    List<DemonstrationSpans.Span> spans = DemonstrationSpans.inputs(target.model().tokenizer(), plan.text(), r.length(), placeholder);
                    List<Capture> captures = new ArrayList<>();
                    for (DemonstrationSpans.Span s : spans) for (int p = s.from(); p < s.to(); p++) captures.add(new Capture(embed, p));
                    RowResult result = target.model().run(List.of(new Row(target.encoder().encode(r), List.of(), captures, 0, Set.of()))).get(0);
                    List<float[]> demos = new ArrayList<>();
                    for (DemonstrationSpans.Span s : spans) {
                        float[][] rows = new float[s.to() - s.from()][];
                        for (int p = s.from(); p < s.to(); p++) rows[p - s.from()] = result.captured().get(new Capture(embed, p)); // (D)
                        demos.add(ContextEmbedding.meanOf(rows, 0, rows.length));
                    }
                    contexts.add(new Point("context", task, spec, v.variant(), ContextEmbedding.meanOfAll(demos)));
                }
            }
        }
        List<AnalysisRepository.MapPoint> rows = new ArrayList<>();
        // each kind gets its own projection: residuals at a layer and input embeddings live on different scales
        for (List<Point> points : List.of(vectors, contexts)) {
            if (points.size() < 2) continue;
            double[][] xy = Pca2d.project(points.stream().map(Point::value).toList());
            for (int i = 0; i < points.size(); i++) {
                Point p = points.get(i);
                rows.add(new AnalysisRepository.MapPoint(layer, p.kind(), p.task(), p.spec().label(), p.spec().modality().label(), p.item(),
                        xy[i][0], xy[i][1]));
            }
        }
        ctx.store().analyses().insertMap(ctx.runId(), target.name(), rows);
    }
}
