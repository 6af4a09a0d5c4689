package taskvec.organism.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The organism's trainable tensors, by their Hugging Face LLaVA names (the current scheme:
 * {@code model.language_model.*}, {@code model.vision_tower.vision_model.*}, {@code model.multi_modal_projector.*};
 * the LM head is tied to the embeddings), kept as Java float arrays: the trainer's master copy, which the
 * optimizer updates and the folder writer stores.
 */
public final class OrganismParameters {

    public static final String TEXT = "model.language_model.";
    public static final String VISION = "model.vision_tower.vision_model.";
    public static final String PROJECTOR = "model.multi_modal_projector.";

    /** A named tensor: shape, values, and whether weight decay applies (matrices yes; norms, biases no). */
    public record Tensor(long[] shape, float[] values, boolean decays) {
    }

    private final Map<String, Tensor> tensors;

    private OrganismParameters(Map<String, Tensor> tensors) {
        this.tensors = tensors;
    }

    /**
     * Fresh parameters: matrices N(0, initStd), output projections scaled down by depth, norms one, biases zero.
     * A text-only setting ({@link OrganismSettings#textOnly()}) gets the decoder alone: the organism's language model.
     */
    public static OrganismParameters initialize(OrganismSettings s, int vocabSize, SplittableRandom r) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        decoder(t, s, vocabSize, r);
        if (!s.textOnly()) {
            visionAndProjector(t, s, r);
        }
        return new OrganismParameters(t);
    }

    private static void decoder(Map<String, Tensor> t, OrganismSettings s, int vocabSize, SplittableRandom r) {
        int d = s.hiddenSize();
        double std = s.initStd();
        double outStd = std / Math.sqrt(2.0 * s.numLayers());
        normal(t, TEXT + "embed_tokens.weight", r, std, vocabSize, d);
        for (int l = 0; l < s.numLayers(); l++) {
            String p = TEXT + "layers." + l + ".";
            normal(t, p + "self_attn.q_proj.weight", r, std, d, d);
            normal(t, p + "self_attn.k_proj.weight", r, std, d, d);
            normal(t, p + "self_attn.v_proj.weight", r, std, d, d);
            normal(t, p + "self_attn.o_proj.weight", r, outStd, d, d);
            normal(t, p + "mlp.gate_proj.weight", r, std, s.intermediateSize(), d);
            normal(t, p + "mlp.up_proj.weight", r, std, s.intermediateSize(), d);
            normal(t, p + "mlp.down_proj.weight", r, outStd, d, s.intermediateSize());
            constant(t, p + "input_layernorm.weight", 1f, d);
            constant(t, p + "post_attention_layernorm.weight", 1f, d);
        }
        constant(t, TEXT + "norm.weight", 1f, d);
    }

    private static void visionAndProjector(Map<String, Tensor> t, OrganismSettings s, SplittableRandom r) {
        int d = s.hiddenSize();
        int dv = s.visionHiddenSize();
        double std = s.initStd();
        int p = s.patchSize();
        int tokens = s.imageFeatureCount() + 1;
        normal(t, VISION + "embeddings.patch_embedding.weight", r, std, dv, 3, p, p);
        normal(t, VISION + "embeddings.class_embedding", r, std, dv);
        normal(t, VISION + "embeddings.position_embedding.weight", r, std, tokens, dv);
        constant(t, VISION + "pre_layrnorm.weight", 1f, dv);
        constant(t, VISION + "pre_layrnorm.bias", 0f, dv);
        double vOutStd = std / Math.sqrt(2.0 * s.visionLayers());
        for (int l = 0; l < s.visionLayers(); l++) {
            String v = VISION + "encoder.layers." + l + ".";
            for (String proj : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) {
                normal(t, v + "self_attn." + proj + ".weight", r, proj.equals("out_proj") ? vOutStd : std, dv, dv);
                constant(t, v + "self_attn." + proj + ".bias", 0f, dv);
            }
            constant(t, v + "layer_norm1.weight", 1f, dv);
            constant(t, v + "layer_norm1.bias", 0f, dv);
            normal(t, v + "mlp.fc1.weight", r, std, s.visionIntermediateSize(), dv);
            constant(t, v + "mlp.fc1.bias", 0f, s.visionIntermediateSize());
            normal(t, v + "mlp.fc2.weight", r, vOutStd, dv, s.visionIntermediateSize());
            constant(t, v + "mlp.fc2.bias", 0f, dv);
            constant(t, v + "layer_norm2.weight", 1f, dv);
            constant(t, v + "layer_norm2.bias", 0f, dv);
        }
        // HF's CLIP has a post_layernorm that only feeds the pooled output; LLaVA never uses it, so it stays at identity
        constant(t, VISION + "post_layernorm.weight", 1f, dv);
        constant(t, VISION + "post_layernorm.bias", 0f, dv);

        normal(t, PROJECTOR + "linear_1.weight", r, std, d, dv);
        constant(t, PROJECTOR + "linear_1.bias", 0f, d);
        normal(t, PROJECTOR + "linear_2.weight", r, std, d, d);
        constant(t, PROJECTOR + "linear_2.bias", 0f, d);
    }

    /**
     * These parameters with the decoder (every {@link #TEXT} tensor) taken from a language model's: how the VLM
     * is made from the LLM before training with pictures, as LLaVA was made from Vicuna.
     */
    public OrganismParameters withDecoderOf(OrganismParameters languageModel) {
        return taking(TEXT, languageModel, "language model");
    }

    /** These parameters with the CLIP tower (every {@link #VISION} tensor) taken from a pretrained one, as LLaVA took CLIP's. */
    public OrganismParameters withVisionTowerOf(OrganismParameters visionTower) {
        return taking(VISION, visionTower, "vision tower");
    }

    /** The tensors whose names start with prefix: (a copy of) these parameters restricted to them. */
    public OrganismParameters only(String prefix) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        tensors.forEach((name, tensor) -> {
            if (name.startsWith(prefix)) {
                t.put(name, tensor);
            }
        });
        return new OrganismParameters(t);
    }

    private OrganismParameters taking(String prefix, OrganismParameters from, String what) {
        Map<String, Tensor> t = new LinkedHashMap<>(tensors);
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                continue;
            }
            Tensor source = from.get(e.getKey());
            if (!java.util.Arrays.equals(source.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("the " + what + "'s " + e.getKey() + " has shape "
                        + java.util.Arrays.toString(source.shape()) + ", the VLM needs " + java.util.Arrays.toString(e.getValue().shape()));
            }
            t.put(e.getKey(), new Tensor(source.shape(), source.values().clone(), e.getValue().decays()));
        }
        return new OrganismParameters(t);
    }

    /** Parameters from stored tensors (e.g. a saved folder), in the given order. */
    public static OrganismParameters of(Map<String, Tensor> tensors) {
        return new OrganismParameters(new LinkedHashMap<>(tensors));
    }

    private static void normal(Map<String, Tensor> t, String name, SplittableRandom r, double std, long... shape) {
        float[] v = new float[(int) count(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (gaussian(r) * std);
        }
        t.put(name, new Tensor(shape, v, shape.length >= 2));
    }

    private static void constant(Map<String, Tensor> t, String name, float value, long... shape) {
        float[] v = new float[(int) count(shape)];
        java.util.Arrays.fill(v, value);
        t.put(name, new Tensor(shape, v, false));
    }

    /** A standard normal draw (Box-Muller), so the stream is the same on every JVM. */
    private static double gaussian(SplittableRandom r) {
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    static long count(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    public Map<String, Tensor> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no parameter named " + name);
        }
        return t;
    }

    public long count() {
        long n = 0;
        for (Tensor t : tensors.values()) {
            n += t.values().length;
        }
        return n;
    }
}
