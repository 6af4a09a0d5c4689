package taskvec.study.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import taskvec.study.config.InterventionMode;
import taskvec.study.config.Study;
import taskvec.study.prompt.ModalityPair;
import taskvec.study.vectors.LayerVectors;
import taskvec.study.vectors.VectorName;

/** The patch step: which patches a query of a pair receives, in every intervention mode the study runs. */
public final class Patches {
    private Patches() {}

    /**
     * The patches for one (pair, task, seed): every named vector that {@code vectors} has (null: not
     * made), replaced as it is, and for ADD at each alpha against {@code baseline}, the mean
     * zero-shot query vector of the task's domain in the pair's query modality.
     */
    public static List<Evaluator.Patch> of(Study.Interventions interventions, ModalityPair pair, List<VectorName> names,
                                           Function<VectorName, LayerVectors> vectors, LayerVectors baseline) {
        List<Evaluator.Patch> out = new ArrayList<>();
        for (VectorName name : names) {
            LayerVectors v = vectors.apply(name);
            if (v == null) continue;
            for (InterventionMode mode : interventions.modes()) {
                if (mode == InterventionMode.REPLACE) {
                    out.add(new Evaluator.Patch(Conditions.patch(pair, name.toString(), mode, 1.0), name, PatchVector.replace(v)));
                } else {
                    for (double alpha : interventions.alphas()) {
                        out.add(new Evaluator.Patch(Conditions.patch(pair, name.toString(), mode, alpha), name, PatchVector.add(v, baseline, alpha)));
                    }
                }
            }
        }
        return out;
    }
}
