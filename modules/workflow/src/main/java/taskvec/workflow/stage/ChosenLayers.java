package taskvec.workflow.stage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import taskvec.store.repo.ResultViews;
import taskvec.study.config.InterventionMode;
import taskvec.study.config.Study;
import taskvec.study.data.Split;
import taskvec.study.design.StudyVectors;
import taskvec.study.eval.PatchVector;
import taskvec.study.prompt.Modality;
import taskvec.study.prompt.ModalityPair;
import taskvec.study.vectors.VectorName;
import taskvec.workflow.context.RunContext;

/**
 * The layer val chose per (vector, query modality, mode and alpha), as the best_layer view
 * computes it and as test items carry it in their keys: "text-examples|image|add@1.0" -> layer.
 */
final class ChosenLayers {
    private ChosenLayers() {}

    /** "replace", or "add@" + alpha as a float (the predictions' alpha column is real). */
    static String modeLabel(InterventionMode mode, Float alpha) {
        return mode == InterventionMode.REPLACE ? "replace" : "add@" + alpha;
    }

    static String modeLabel(PatchVector v) {
        return modeLabel(v.mode(), v.mode() == InterventionMode.REPLACE ? null : (float) v.alpha());
    }

    /** Every (mode, alpha) the study patches with, as labels. */
    static List<String> modeLabels(Study study) {
        List<String> out = new ArrayList<>();
        for (InterventionMode mode : study.interventions().modes()) {
            if (mode == InterventionMode.REPLACE) out.add(modeLabel(mode, null));
            else for (double alpha : study.interventions().alphas()) out.add(modeLabel(mode, (float) alpha));
        }
        return out;
    }

    static String key(VectorName vector, Modality modality, String mode) {
        return vector + "|" + modality.label() + "|" + mode;
    }

    /** The run's choices from best_layer; an error if a patched vector has none (its val results are missing). */
    static Map<String, Integer> read(RunContext ctx) {
        Map<String, Integer> chosen = new TreeMap<>();
        for (ResultViews.BestLayer b : ctx.store().views().bestLayers(ctx.runId())) {
            if (!b.model().equals(ctx.target().name())) continue;
            InterventionMode mode = "replace".equals(b.mode()) ? InterventionMode.REPLACE : InterventionMode.ADD;
            chosen.put(key(VectorName.parse(b.spec()), Modality.parse(b.modality()), modeLabel(mode, b.alpha())), b.layer());
        }
        for (ModalityPair pair : ctx.study().modalityPairs()) {
            for (VectorName name : StudyVectors.patched(ctx.study(), pair, ctx.hasSource(), Split.VAL, 0)) {
                for (String mode : modeLabels(ctx.study())) {
                    String key = key(name, pair.target(), mode);
                    if (!chosen.containsKey(key)) throw new IllegalStateException("run " + ctx.runId() + ": no val accuracy for " + key);
                }
            }
        }
        return chosen;
    }

    /** Val: every study layer; test: the layer chosen for (vector, query modality, mode), a subset's at its full vector's. */
    static List<Integer> layers(RunContext ctx, JsonNode parts, VectorName vector, Modality query, String mode) {
        JsonNode chosen = parts.path("settings").path("chosen_layers");
        if (chosen.isMissingNode()) return ctx.study().resolveLayers(ctx.target().numLayers());
        String key = key(vector.full(), query, mode);
        JsonNode layer = chosen.get(key);
        if (layer == null) throw new IllegalStateException("no chosen layer for " + key);
        return List.of(layer.asInt());
    }
}
