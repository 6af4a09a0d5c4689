package taskvec.model.arch.persimmon;

/**
 * Where a Persimmon decoder sits in a checkpoint: {@code body} prefixes its tensors ("language_model.model." in
 * adept/fuyu-8b and Mantis-8B-Fuyu, "model.language_model." as newer transformers save Fuyu), {@code lmHead} names
 * the LM head's weight. Inside the body the names are Persimmon's own (layers.{l}.self_attn.query_key_value, ...).
 */
public record PersimmonWeightNames(String body, String lmHead) {

    public String embed() {
        return body + "embed_tokens.weight";
    }

    public String finalNorm() {
        return body + "final_layernorm";
    }

    /** A tensor-name prefix inside layer l, e.g. layer(3, "self_attn.dense"). */
    public String layer(int l, String part) {
        return body + "layers." + l + "." + part;
    }
}
