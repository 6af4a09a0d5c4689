package taskvec.model.hooks;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of an activation site, TransformerLens style: {@code blocks.3.hook_resid_post} is both where the
 * activation sits and the key it is captured under. Language-model sites have no prefix, vision-tower sites
 * start with {@code vision.}, and the projector's output is {@code projector.hook_out}.
 */
public record HookName(String value) {

    /** Per-block sites, in the order a block passes them. */
    public static final String[] BLOCK_SITES = {
            "hook_resid_pre", "hook_attn_out", "hook_resid_mid", "hook_mlp_out", "hook_resid_post"};

    private static final Pattern BLOCK = Pattern.compile(
            "((?:vision\\.)?)blocks\\.(\\d+)\\.(hook_resid_pre|hook_attn_out|hook_resid_mid|hook_mlp_out|hook_resid_post)");
    private static final Pattern PLAIN = Pattern.compile(
            "hook_embed|ln_final\\.hook_normalized|vision\\.hook_embed|vision\\.hook_features|vision\\.hook_patches|projector\\.hook_out");

    public HookName {
        if (value == null || !(BLOCK.matcher(value).matches() || PLAIN.matcher(value).matches())) {
            throw new IllegalArgumentException("unknown hook name '" + value + "'");
        }
    }

    /** "blocks.{l}.hook_resid_post": the residual stream after decoder layer l. */
    public static HookName residPost(int layer) {
        return block("", layer, "hook_resid_post");
    }

    /** "hook_embed": the input embeddings, after image features are merged in. */
    public static HookName embed() {
        return new HookName("hook_embed");
    }

    /** A per-block site of the language model ("") or of the vision tower ("vision."). */
    public static HookName block(String prefix, int layer, String site) {
        if (layer < 0) {
            throw new IllegalArgumentException("layer must be >= 0, got " + layer);
        }
        return new HookName(prefix + "blocks." + layer + "." + site);
    }

    public static HookName parse(String s) {
        return new HookName(s == null ? null : s.trim());
    }

    /** The layer of a block site, or -1. */
    public int layer() {
        Matcher m = BLOCK.matcher(value);
        return m.matches() ? Integer.parseInt(m.group(2)) : -1;
    }

    /** The site without prefix and layer, e.g. "hook_resid_post". */
    public String site() {
        Matcher m = BLOCK.matcher(value);
        if (m.matches()) {
            return m.group(3);
        }
        return value.substring(value.lastIndexOf('.') + 1);
    }

    /** True for sites inside the vision tower or the projector (they index image tokens, not prompt positions). */
    public boolean isVisionSide() {
        return value.startsWith("vision.") || value.startsWith("projector.");
    }

    @Override
    public String toString() {
        return value;
    }
}
