package taskvec.workflow.stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import taskvec.store.repo.Prediction;
import taskvec.store.repo.Vector;
import taskvec.study.config.InterventionMode;
import taskvec.study.eval.Evaluator;
import taskvec.study.eval.PatchVector;
import taskvec.study.prompt.Modality;
import taskvec.study.vectors.VectorName;
import taskvec.workflow.context.RunContext;

/** The study's scored answers as rows of the predictions table, for the run's target model. */
final class PredictionRows {
    private PredictionRows() {}

    /** A no-context or in-context answer: no layer, mode, alpha or vector. */
    static Prediction unpatched(RunContext ctx, taskvec.study.eval.Prediction p, String condition, String spec, Modality modality) {
        return new Prediction(ctx.runId(), ctx.target().name(), p.task(), p.seed(), p.split().fileName(), p.item(), condition, spec,
                modality.label(), null, null, null, p.prediction(), p.correct(), null);
    }

    /**
     * Patched answers in {@link Evaluator#patchAt}'s order (per query, one per patch in order), each with its layer,
     * mode, alpha and the row of the patched vector at that layer ({@code stored}: each vector's rows by layer).
     */
    static List<Prediction> patched(RunContext ctx, List<taskvec.study.eval.Prediction> answers, List<Evaluator.PatchAt> patches,
                                    Modality modality, Map<VectorName, List<Vector>> stored) {
        List<Prediction> rows = new ArrayList<>(answers.size());
        for (int i = 0; i < answers.size(); i++) {
            taskvec.study.eval.Prediction p = answers.get(i);
            Evaluator.PatchAt at = patches.get(i % patches.size());
            PatchVector v = at.patch().vector();
            boolean add = v.mode() == InterventionMode.ADD;
            rows.add(new Prediction(ctx.runId(), ctx.target().name(), p.task(), p.seed(), p.split().fileName(), p.item(), "patch",
                    at.patch().name().toString(), modality.label(), at.layer(), add ? "add" : "replace", add ? (float) v.alpha() : null,
                    p.prediction(), p.correct(), stored.get(at.patch().name()).get(at.layer()).id()));
        }
        return rows;
    }
}
