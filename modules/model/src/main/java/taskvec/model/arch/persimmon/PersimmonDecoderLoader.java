package taskvec.model.arch.persimmon;

import ai.djl.ndarray.NDArray;
import taskvec.model.arch.Activations;
import taskvec.model.arch.Attention;
import taskvec.model.arch.CausalDecoder;
import taskvec.model.arch.LayerNorm;
import taskvec.model.arch.Linear;
import taskvec.model.arch.Mlp;
import taskvec.model.arch.RotaryEmbedding;
import taskvec.model.arch.TransformerBlock;
import taskvec.model.arch.Weights;
import taskvec.model.config.PersimmonConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * Wires a Persimmon checkpoint into the generic {@link CausalDecoder}: LayerNorms with bias, attention whose q/k/v
 * come fused in one projection (split here, at load time), optional per-head q/k LayerNorms before RoPE, RoPE over
 * the first rotaryDim values of each head, and an MLP fc2(relu(fc1 x)^2) (hidden_act as the config says), every
 * linear layer with a bias.
 */
public final class PersimmonDecoderLoader {

    private PersimmonDecoderLoader() {
    }

    public static CausalDecoder load(Weights w, PersimmonConfig c, PersimmonWeightNames names) {
        long d = c.hiddenSize();
        int heads = c.numHeads();
        int headDim = c.headDim();
        NDArray embed = w.take(names.embed(), c.vocabSize(), d);
        RotaryEmbedding rope = new RotaryEmbedding(c.rotaryDim(),
                c.ropeScaling().inverseFrequencies(c.rotaryDim(), c.ropeTheta()),
                Math.min(c.maxPositionEmbeddings(), 32768), w.manager(), w.dtype());
        List<TransformerBlock> blocks = new ArrayList<>();
        for (int l = 0; l < c.numLayers(); l++) {
            Linear[] qkv = splitFusedQkv(w, names.layer(l, "self_attn.query_key_value"), heads, headDim, d);
            LayerNorm qNorm = null;
            LayerNorm kNorm = null;
            if (c.qkLayernorm()) {
                qNorm = LayerNorm.load(w, names.layer(l, "self_attn.q_layernorm"), headDim, c.layerNormEps());
                kNorm = LayerNorm.load(w, names.layer(l, "self_attn.k_layernorm"), headDim, c.layerNormEps());
            }
            Attention attention = new Attention(qkv[0], qkv[1], qkv[2],
                    Linear.load(w, names.layer(l, "self_attn.dense"), d, d, true),
                    qNorm, kNorm, heads, heads, headDim, rope, true, 0);
            Mlp mlp = new Mlp(
                    Linear.load(w, names.layer(l, "mlp.dense_h_to_4h"), d, c.intermediateSize(), true),
                    Linear.load(w, names.layer(l, "mlp.dense_4h_to_h"), c.intermediateSize(), d, true),
                    Activations.byName(c.hiddenAct()));
            blocks.add(new TransformerBlock(
                    LayerNorm.load(w, names.layer(l, "input_layernorm"), d, c.layerNormEps()),
                    attention,
                    LayerNorm.load(w, names.layer(l, "post_attention_layernorm"), d, c.layerNormEps()),
                    mlp, "", l));
        }
        LayerNorm finalNorm = LayerNorm.load(w, names.finalNorm(), d, c.layerNormEps());
        Linear lmHead = c.tieWordEmbeddings() && !w.has(names.lmHead())
                ? new Linear(embed, null)
                : new Linear(w.take(names.lmHead(), c.vocabSize(), d), null);
        return new CausalDecoder(embed, blocks, finalNorm, lmHead);
    }

    /**
     * Persimmon's query_key_value holds, per head, its query, key and value rows one after the other:
     * weight (H * 3 * Dh, D) as [head][q|k|v][Dh], bias (H * 3 * Dh). Returns q, k, v as separate linear
     * layers, each (H * Dh, D) in head order, so the generic attention runs them.
     */
    static Linear[] splitFusedQkv(Weights w, String prefix, int heads, int headDim, long d) {
        long rows = 3L * heads * headDim;
        Linear[] out = new Linear[3];
        // every intermediate is closed: the fused tensors are as large as q, k and v together
        try (NDArray fusedWeight = w.take(prefix + ".weight", rows, d);
             NDArray fusedBias = w.take(prefix + ".bias", rows);
             NDArray weight = fusedWeight.reshape(heads, 3, headDim, d);                       // (H, 3, Dh, D)
             NDArray bias = fusedBias.reshape(heads, 3, headDim)) {                            // (H, 3, Dh)
            for (int part = 0; part < 3; part++) {
                try (NDArray wSlice = weight.get(":, " + part);                                // (H, Dh, D)
                     NDArray bSlice = bias.get(":, " + part)) {                                // (H, Dh)
                    out[part] = new Linear(wSlice.reshape((long) heads * headDim, d),          // (H*Dh, D)
                            bSlice.reshape((long) heads * headDim));                           // (H*Dh)
                }
            }
        }
        return out;
    }
}
