package taskvec.model.arch.idefics2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import taskvec.model.arch.Activations;
import taskvec.model.arch.Attention;
import taskvec.model.arch.GatedMlp;
import taskvec.model.arch.Linear;
import taskvec.model.arch.RmsNorm;
import taskvec.model.arch.Weights;
import taskvec.model.config.PerceiverConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * Idefics2's perceiver resampler: a fixed set of learned latents reads a variable-length context (the projected
 * image features) through depth layers, and a final RMSNorm; any number of patches becomes n_latents rows.
 */
public final class PerceiverResampler {

    private final NDArray latents; // (n, D)
    private final List<Layer> layers;
    private final RmsNorm norm;

    private PerceiverResampler(NDArray latents, List<Layer> layers, RmsNorm norm) {
        this.latents = latents;
        this.layers = layers;
        this.norm = norm;
    }

    /** @param prefix e.g. "model.connector.perceiver_resampler." */
    public static PerceiverResampler load(Weights w, String prefix, PerceiverConfig c) {
        long d = c.hiddenSize();
        long qDim = (long) c.numHeads() * c.headDim();
        long kvDim = (long) c.numKvHeads() * c.headDim();
        long inner = 4 * d;
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l < c.depth(); l++) {
            String p = prefix + "layers." + l + ".";
            Attention attention = new Attention(
                    Linear.load(w, p + "self_attn.q_proj", d, qDim, false),
                    Linear.load(w, p + "self_attn.k_proj", d, kvDim, false),
                    Linear.load(w, p + "self_attn.v_proj", d, kvDim, false),
                    Linear.load(w, p + "self_attn.o_proj", qDim, d, false),
                    c.numHeads(), c.numKvHeads(), c.headDim(), null, false, 0);
            GatedMlp mlp = new GatedMlp(
                    Linear.load(w, p + "mlp.gate_proj", d, inner, false),
                    Linear.load(w, p + "mlp.up_proj", d, inner, false),
                    Linear.load(w, p + "mlp.down_proj", inner, d, false),
                    Activations.byName(c.hiddenAct()));
            layers.add(new Layer(
                    new RmsNorm(w.take(p + "input_latents_norm.weight", d), c.rmsNormEps()),
                    new RmsNorm(w.take(p + "input_context_norm.weight", d), c.rmsNormEps()),
                    attention,
                    new RmsNorm(w.take(p + "post_attention_layernorm.weight", d), c.rmsNormEps()),
                    mlp));
        }
        NDArray latents = w.take(prefix + "latents", c.numLatents(), d);
        return new PerceiverResampler(latents, layers, new RmsNorm(w.take(prefix + "norm.weight", d), c.rmsNormEps()));
    }

    public int numLatents() {
        return (int) latents.getShape().get(0);
    }

    /** context (B, S, D) -> (B, n, D) */
    public NDArray forward(NDArray context) {
        long b = context.getShape().get(0);
        // built from the context's manager, so per-call arrays never land in the weights' one
        NDArray x = context.getManager().zeros(new Shape(b, latents.getShape().get(0), latents.getShape().get(1)),
                latents.getDataType(), latents.getDevice()).add(latents);                 // (B, n, D)
        for (Layer layer : layers) {
            x = layer.forward(x, context);
        }
        return norm.forward(x);
    }

    /**
     * One perceiver layer: queries from the normed latents; keys and values from the normed context and the normed
     * latents side by side (no mask, no positions); then a silu-gated MLP. Two residual lines, as a block.
     */
    private record Layer(RmsNorm latentsNorm, RmsNorm contextNorm, Attention attention, RmsNorm postNorm, GatedMlp mlp) {

        NDArray forward(NDArray latents, NDArray context) {
            NDArray l = latentsNorm.forward(latents);                                      // (B, n, D)
            NDArray c = contextNorm.forward(context);                                      // (B, S, D)
            latents = latents.add(attention.forward(l, c.concat(l, 1)));                   // keys over (B, S+n, D)
            return latents.add(mlp.forward(postNorm.forward(latents)));
        }
    }
}
