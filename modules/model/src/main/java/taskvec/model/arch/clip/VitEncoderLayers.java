package taskvec.model.arch.clip;

import taskvec.model.arch.Activations;
import taskvec.model.arch.Attention;
import taskvec.model.arch.LayerNorm;
import taskvec.model.arch.Linear;
import taskvec.model.arch.Mlp;
import taskvec.model.arch.TransformerBlock;
import taskvec.model.arch.Weights;
import taskvec.model.config.VisionConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * The encoder layers of CLIP's vision transformer, which SigLIP shares name for name:
 * {@code encoder.layers.{l}.{layer_norm1, self_attn.{q,k,v,out}_proj, layer_norm2, mlp.fc1, mlp.fc2}}.
 */
public final class VitEncoderLayers {

    private VitEncoderLayers() {
    }

    /** @param prefix e.g. "vision_tower.vision_model." */
    public static List<TransformerBlock> load(Weights w, String prefix, VisionConfig c) {
        long d = c.hiddenSize();
        List<TransformerBlock> blocks = new ArrayList<>();
        for (int l = 0; l < c.numLayers(); l++) {
            String p = prefix + "encoder.layers." + l + ".";
            Attention attention = new Attention(
                    Linear.load(w, p + "self_attn.q_proj", d, d, true),
                    Linear.load(w, p + "self_attn.k_proj", d, d, true),
                    Linear.load(w, p + "self_attn.v_proj", d, d, true),
                    Linear.load(w, p + "self_attn.out_proj", d, d, true),
                    c.numHeads(), c.numHeads(), c.headDim(), null, false);
            Mlp mlp = new Mlp(
                    Linear.load(w, p + "mlp.fc1", d, c.intermediateSize(), true),
                    Linear.load(w, p + "mlp.fc2", c.intermediateSize(), d, true),
                    Activations.byName(c.hiddenAct()));
            blocks.add(new TransformerBlock(
                    LayerNorm.load(w, p + "layer_norm1", d, c.layerNormEps()), attention,
                    LayerNorm.load(w, p + "layer_norm2", d, c.layerNormEps()), mlp, "vision.", l));
        }
        return blocks;
    }
}
