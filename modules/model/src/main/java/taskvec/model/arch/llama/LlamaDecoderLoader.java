package taskvec.model.arch.llama;

import ai.djl.ndarray.NDArray;
import taskvec.model.arch.Activations;
import taskvec.model.arch.Attention;
import taskvec.model.arch.CausalDecoder;
import taskvec.model.arch.GatedMlp;
import taskvec.model.arch.Linear;
import taskvec.model.arch.RmsNorm;
import taskvec.model.arch.RotaryEmbedding;
import taskvec.model.arch.TransformerBlock;
import taskvec.model.arch.Weights;
import taskvec.model.config.TextConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * Wires a Llama, Mistral or Qwen2 checkpoint into a {@link CausalDecoder}: RMSNorm, default RoPE, grouped-query
 * attention (q/k/v bias as the config says: Qwen2), SwiGLU MLP; tied embeddings when no LM head is stored.
 */
public final class LlamaDecoderLoader {

    private LlamaDecoderLoader() {
    }

    public static CausalDecoder load(Weights w, TextConfig c, LlamaWeightNames names) {
        long d = c.hiddenSize();
        long qDim = (long) c.numHeads() * c.headDim();
        long kvDim = (long) c.numKvHeads() * c.headDim();
        NDArray embed = w.take(names.hf("embed"), c.vocabSize(), d);
        RotaryEmbedding rope = new RotaryEmbedding(c.headDim(), c.ropeTheta());
        List<TransformerBlock> blocks = new ArrayList<>();
        for (int l = 0; l < c.numLayers(); l++) {
            Attention attention = new Attention(
                    Linear.load(w, names.hf("blocks.{l}.attn.q", l), d, qDim, c.qkvBias()),
                    Linear.load(w, names.hf("blocks.{l}.attn.k", l), d, kvDim, c.qkvBias()),
                    Linear.load(w, names.hf("blocks.{l}.attn.v", l), d, kvDim, c.qkvBias()),
                    Linear.load(w, names.hf("blocks.{l}.attn.o", l), qDim, d, c.outputBias()),
                    c.numHeads(), c.numKvHeads(), c.headDim(), rope, true);
            GatedMlp mlp = new GatedMlp(
                    Linear.load(w, names.hf("blocks.{l}.mlp.gate", l), d, c.intermediateSize(), c.mlpBias()),
                    Linear.load(w, names.hf("blocks.{l}.mlp.up", l), d, c.intermediateSize(), c.mlpBias()),
                    Linear.load(w, names.hf("blocks.{l}.mlp.down", l), c.intermediateSize(), d, c.mlpBias()),
                    Activations.byName(c.hiddenAct()));
            blocks.add(new TransformerBlock(
                    new RmsNorm(w.take(names.hf("blocks.{l}.ln1", l), d), c.rmsNormEps()),
                    attention,
                    new RmsNorm(w.take(names.hf("blocks.{l}.ln2", l), d), c.rmsNormEps()),
                    mlp, "", l));
        }
        RmsNorm finalNorm = new RmsNorm(w.take(names.hf("ln_final"), d), c.rmsNormEps());
        Linear lmHead;
        if (w.has(names.lmHead())) {
            lmHead = new Linear(w.take(names.lmHead(), c.vocabSize(), d), null);
        } else if (c.tieWordEmbeddings()) {
            lmHead = new Linear(embed, null);
        } else {
            // not tied: the LM head must be stored; take() fails naming it
            lmHead = new Linear(w.take(names.lmHead(), c.vocabSize(), d), null);
        }
        return new CausalDecoder(embed, blocks, finalNorm, lmHead);
    }
}
