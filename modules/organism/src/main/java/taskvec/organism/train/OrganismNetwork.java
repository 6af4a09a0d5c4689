package taskvec.organism.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import taskvec.model.arch.Activations;
import taskvec.model.arch.GatedMlp;
import taskvec.model.arch.LayerNorm;
import taskvec.model.arch.Linear;
import taskvec.model.arch.Mlp;
import taskvec.model.arch.PatchEmbedding;
import taskvec.model.arch.RmsNorm;
import taskvec.model.arch.RotaryEmbedding;
import taskvec.model.config.RopeScaling;
import taskvec.model.arch.llava.LlavaProjector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static taskvec.organism.train.OrganismParameters.PROJECTOR;
import static taskvec.organism.train.OrganismParameters.TEXT;
import static taskvec.organism.train.OrganismParameters.VISION;

/**
 * The organism's forward pass for training and diagnostics, built from the runtime's components (Linear, RMSNorm,
 * RoPE, SwiGLU, LayerNorm, the ViT MLP, patch embedding, LLaVA's projector) over parameter arrays that may carry
 * gradients. Parameters and inputs live in one per-call manager (the trainer makes them per step), so every
 * derived array is freed with it. It computes what LoadedModel computes for the saved folder (a test checks the logits agree), plus
 * per-layer attention masks for the late-read regime and the knock-out diagnostic.
 */
public final class OrganismNetwork {

    /** Additive mask value for a blocked query-key pair (finite, so a row never becomes all -inf). */
    static final float BLOCKED = -1e9f;

    private final OrganismSettings s;
    private final NDArray embed;                 // (V, D)
    private final List<MaskedSelfAttention> attentions = new ArrayList<>();
    private final List<RmsNorm> norms1 = new ArrayList<>();
    private final List<RmsNorm> norms2 = new ArrayList<>();
    private final List<GatedMlp> mlps = new ArrayList<>();
    private final RmsNorm finalNorm;
    private final Linear lmHead;
    private final PatchEmbedding patches;
    private final NDArray classEmbedding;        // (Dv)
    private final NDArray positionEmbedding;     // (S+1, Dv)
    private final LayerNorm preNorm;
    private final List<MaskedSelfAttention> visionAttentions = new ArrayList<>();
    private final List<LayerNorm> visionNorms1 = new ArrayList<>();
    private final List<LayerNorm> visionNorms2 = new ArrayList<>();
    private final List<Mlp> visionMlps = new ArrayList<>();
    private final LlavaProjector projector;

    public OrganismNetwork(OrganismSettings s, Map<String, NDArray> p) {
        this.s = s;
        int d = s.hiddenSize();
        int headDim = d / s.numHeads();
        embed = p.get(TEXT + "embed_tokens.weight");
        // the same default RoPE (theta 10000) the runtime builds from the saved config.json
        RotaryEmbedding rope = new RotaryEmbedding(headDim, RopeScaling.NONE.inverseFrequencies(headDim, 10000.0),
                OrganismFolder.MAX_POSITIONS, embed.getManager(), embed.getDataType());
        for (int l = 0; l < s.numLayers(); l++) {
            String b = TEXT + "layers." + l + ".";
            attentions.add(new MaskedSelfAttention(lin(p, b + "self_attn.q_proj", false), lin(p, b + "self_attn.k_proj", false),
                    lin(p, b + "self_attn.v_proj", false), lin(p, b + "self_attn.o_proj", false), s.numHeads(), headDim, rope));
            norms1.add(new RmsNorm(p.get(b + "input_layernorm.weight"), OrganismFolder.RMS_EPS));
            norms2.add(new RmsNorm(p.get(b + "post_attention_layernorm.weight"), OrganismFolder.RMS_EPS));
            mlps.add(new GatedMlp(lin(p, b + "mlp.gate_proj", false), lin(p, b + "mlp.up_proj", false),
                    lin(p, b + "mlp.down_proj", false), Activations.byName("silu")));
        }
        finalNorm = new RmsNorm(p.get(TEXT + "norm.weight"), OrganismFolder.RMS_EPS);
        lmHead = new Linear(embed, null); // tied

        if (!p.containsKey(VISION + "embeddings.patch_embedding.weight")) { // the language model: a decoder only
            patches = null;
            classEmbedding = null;
            positionEmbedding = null;
            preNorm = null;
            projector = null;
            return;
        }
        patches = new PatchEmbedding(p.get(VISION + "embeddings.patch_embedding.weight"), null);
        classEmbedding = p.get(VISION + "embeddings.class_embedding");
        positionEmbedding = p.get(VISION + "embeddings.position_embedding.weight");
        preNorm = new LayerNorm(p.get(VISION + "pre_layrnorm.weight"), p.get(VISION + "pre_layrnorm.bias"), OrganismFolder.LAYER_NORM_EPS);
        int dv = s.visionHiddenSize();
        for (int l = 0; l < s.visionLayers(); l++) {
            String v = VISION + "encoder.layers." + l + ".";
            visionAttentions.add(new MaskedSelfAttention(lin(p, v + "self_attn.q_proj", true), lin(p, v + "self_attn.k_proj", true),
                    lin(p, v + "self_attn.v_proj", true), lin(p, v + "self_attn.out_proj", true),
                    s.visionHeads(), dv / s.visionHeads(), null));
            visionMlps.add(new Mlp(lin(p, v + "mlp.fc1", true), lin(p, v + "mlp.fc2", true), Activations.byName(OrganismFolder.VISION_ACT)));
            visionNorms1.add(new LayerNorm(p.get(v + "layer_norm1.weight"), p.get(v + "layer_norm1.bias"), OrganismFolder.LAYER_NORM_EPS));
            visionNorms2.add(new LayerNorm(p.get(v + "layer_norm2.weight"), p.get(v + "layer_norm2.bias"), OrganismFolder.LAYER_NORM_EPS));
        }
        projector = new LlavaProjector(lin(p, PROJECTOR + "linear_1", true), lin(p, PROJECTOR + "linear_2", true),
                Activations.byName(OrganismFolder.PROJECTOR_ACT));
    }

    private static Linear lin(Map<String, NDArray> p, String prefix, boolean bias) {
        return new Linear(p.get(prefix + ".weight"), bias ? p.get(prefix + ".bias") : null);
    }

    /** pixels (N, 3, H, W) -> (N, n, D): CLIP tower, last hidden state without the class token, projector. */
    public NDArray encodeImages(NDArray pixels) {
        if (patches == null) {
            throw new IllegalStateException("a language model has no vision tower: it cannot take pictures");
        }
        NDArray x = patches.forward(pixels);                                             // (N, S, Dv)
        long n = x.getShape().get(0);
        long dv = x.getShape().get(2);
        // the class token is built from the pixels' array so per-call arrays stay in the caller's manager
        NDArray cls = pixels.getManager().zeros(new Shape(n, 1, dv)).add(classEmbedding); // (N, 1, Dv)
        x = cls.concat(x, 1).add(positionEmbedding);                                      // (N, S+1, Dv)
        x = preNorm.forward(x);
        for (int l = 0; l < visionAttentions.size(); l++) {
            x = x.add(visionAttentions.get(l).forward(visionNorms1.get(l).forward(x), null));
            x = x.add(visionMlps.get(l).forward(visionNorms2.get(l).forward(x)));
        }
        return projector.forward(x.get(new NDIndex(":, 1:")));                            // (N, S, D)
    }

    /**
     * The residual stream after the last decoder layer.
     *
     * @param ids         (B, T) int64 token ids, image positions holding the image token
     * @param imageEmbeds (K, D) projected image features for the image positions in row-major order, or null
     * @param imageIndex  for each of the B*T positions, its row in [token embeddings; image features]
     * @param masks       one additive mask (B, 1, T, T) per decoder layer
     * @return (B, T, D)
     */
    public NDArray hidden(NDArray ids, NDArray imageEmbeds, NDArray imageIndex, NDArray[] masks) {
        long b = ids.getShape().get(0);
        long t = ids.getShape().get(1);
        NDArray tokens = embed.get(new NDIndex("{}", ids.flatten()));                              // (B*T, D)
        NDArray x = tokens;
        if (imageEmbeds != null) {
            x = tokens.concat(imageEmbeds, 0).get(new NDIndex("{}", imageIndex));                 // (B*T, D)
        }
        x = x.reshape(b, t, s.hiddenSize());                                                      // (B, T, D)
        for (int l = 0; l < s.numLayers(); l++) {
            x = x.add(attentions.get(l).forward(norms1.get(l).forward(x), masks[l]));
            x = x.add(mlps.get(l).forward(norms2.get(l).forward(x)));
        }
        return x;
    }

    /** Final norm and the tied LM head: (..., D) -> (..., V). */
    public NDArray logits(NDArray residual) {
        return lmHead.forward(finalNorm.forward(residual));
    }
}
