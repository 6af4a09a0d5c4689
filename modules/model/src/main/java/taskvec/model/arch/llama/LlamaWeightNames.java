package taskvec.model.arch.llama;

import java.util.Map;

/**
 * The weight-conversion table of the Llama/Mistral/Qwen2 decoder: canonical component names to Hugging Face
 * tensor names. {@code {body}} is where the decoder sits in the checkpoint ("model." for a causal LM,
 * "language_model.model." or "model.language_model." inside LLaVA), {@code {l}} the layer.
 */
public record LlamaWeightNames(String body, String lmHead) {

    static final Map<String, String> TABLE = Map.ofEntries(
            Map.entry("embed", "{body}embed_tokens.weight"),
            Map.entry("blocks.{l}.ln1", "{body}layers.{l}.input_layernorm.weight"),
            Map.entry("blocks.{l}.attn.q", "{body}layers.{l}.self_attn.q_proj"),
            Map.entry("blocks.{l}.attn.k", "{body}layers.{l}.self_attn.k_proj"),
            Map.entry("blocks.{l}.attn.v", "{body}layers.{l}.self_attn.v_proj"),
            Map.entry("blocks.{l}.attn.o", "{body}layers.{l}.self_attn.o_proj"),
            Map.entry("blocks.{l}.ln2", "{body}layers.{l}.post_attention_layernorm.weight"),
            Map.entry("blocks.{l}.mlp.gate", "{body}layers.{l}.mlp.gate_proj"),
            Map.entry("blocks.{l}.mlp.up", "{body}layers.{l}.mlp.up_proj"),
            Map.entry("blocks.{l}.mlp.down", "{body}layers.{l}.mlp.down_proj"),
            Map.entry("ln_final", "{body}norm.weight"));

    /** A causal LM checkpoint: model.* and lm_head.weight. */
    public static LlamaWeightNames causalLm() {
        return new LlamaWeightNames("model.", "lm_head.weight");
    }

    /** The HF name of a canonical component, e.g. hf("blocks.{l}.attn.q", 3). */
    public String hf(String canonical, int layer) {
        String template = TABLE.get(canonical);
        if (template == null) {
            throw new IllegalArgumentException("no weight named " + canonical);
        }
        return template.replace("{body}", body).replace("{l}", Integer.toString(layer));
    }

    public String hf(String canonical) {
        return hf(canonical, -1);
    }
}
