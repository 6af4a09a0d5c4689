package taskvec.model.arch.idefics2;

import ai.djl.ndarray.NDArray;
import taskvec.model.arch.Activations;
import taskvec.model.arch.GatedMlp;
import taskvec.model.arch.Linear;
import taskvec.model.arch.Weights;
import taskvec.model.config.Idefics2Config;
import taskvec.model.hooks.HookName;
import taskvec.model.hooks.HookPoints;

/**
 * Idefics2's connector from vision features to decoder embeddings: the modality projection (a gated MLP from the
 * vision width through the text model's intermediate size to its hidden size, with the text activation), then the
 * perceiver resampler. Its output, n_latents rows per crop, replaces the image tokens: {@code projector.hook_out}.
 */
public final class Idefics2Connector {

    public static final HookName OUT = new HookName("projector.hook_out");

    private final GatedMlp modalityProjection;
    private final PerceiverResampler perceiver;

    private Idefics2Connector(GatedMlp modalityProjection, PerceiverResampler perceiver) {
        this.modalityProjection = modalityProjection;
        this.perceiver = perceiver;
    }

    /** @param prefix e.g. "model.connector." */
    public static Idefics2Connector load(Weights w, String prefix, Idefics2Config c) {
        long dv = c.vision().hiddenSize();
        long inner = c.text().intermediateSize();
        long d = c.text().hiddenSize();
        String p = prefix + "modality_projection.";
        GatedMlp projection = new GatedMlp(
                Linear.load(w, p + "gate_proj", dv, inner, false),
                Linear.load(w, p + "up_proj", dv, inner, false),
                Linear.load(w, p + "down_proj", inner, d, false),
                Activations.byName(c.text().hiddenAct()));
        return new Idefics2Connector(projection, PerceiverResampler.load(w, prefix + "perceiver_resampler.", c.perceiver()));
    }

    public int numLatents() {
        return perceiver.numLatents();
    }

    /** features (B, S, Dv) -> (B, n_latents, D) */
    public NDArray forward(NDArray features, HookPoints hooks) {
        return hooks.at(OUT, perceiver.forward(modalityProjection.forward(features)), 0);
    }
}
