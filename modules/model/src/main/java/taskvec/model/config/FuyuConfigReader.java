package taskvec.model.config;

/**
 * Reads a Fuyu config.json ({@code model_type: fuyu}) into a {@link FuyuConfig}, with the defaults of Hugging Face's
 * FuyuConfig / PersimmonConfig (those of adept/fuyu-8b) for keys the file omits. The decoder's keys come from
 * {@code text_config} when the file has one, else from the top level, as FuyuConfig builds its text config.
 * A key that changes the arithmetic in a way the runtime does not implement is an error naming it.
 */
final class FuyuConfigReader {

    private FuyuConfigReader() {
    }

    static FuyuConfig read(Keys top) {
        Keys text = top.has("text_config") ? top.child("text_config") : top;
        String textType = text == top ? "persimmon" : text.string("model_type", "persimmon");
        if (!textType.equals("persimmon")) {
            throw text.error("model_type", "'" + textType + "' is not supported (Fuyu's decoder is persimmon)");
        }
        PersimmonConfig persimmon = persimmon(text, top);
        if (text != top && top.has("hidden_size") && top.integer("hidden_size", 0) != persimmon.hiddenSize()) {
            throw top.error("hidden_size", top.integer("hidden_size", 0) + " differs from text_config.hidden_size "
                    + persimmon.hiddenSize() + " (vision_embed_tokens must give the decoder's width)");
        }
        return new FuyuConfig(persimmon, top.integer("image_token_id", 71011), top.integer("patch_size", 30),
                top.integer("num_channels", 3));
    }

    private static PersimmonConfig persimmon(Keys k, Keys top) {
        int hidden = k.integer("hidden_size", 4096);
        int heads = k.integer("num_attention_heads", 64);
        if (hidden % heads != 0) {
            throw k.error("num_attention_heads", heads + " does not divide hidden_size " + hidden);
        }
        int headDim = hidden / heads;
        // Persimmon has neither grouped KV heads nor a free head size: a config that asks for them asks for another model
        if (k.has("num_key_value_heads") && k.integer("num_key_value_heads", heads) != heads) {
            throw k.error("num_key_value_heads", "grouped key/value heads are not part of Persimmon (heads "
                    + heads + ")");
        }
        if (k.has("head_dim") && k.integer("head_dim", headDim) != headDim) {
            throw k.error("head_dim", "Persimmon's head size is hidden_size / num_attention_heads = " + headDim);
        }
        int maxPos = k.integer("max_position_embeddings", 16384);
        ConfigReader.Rope rope = ConfigReader.rope(k, 25000.0, maxPos);
        // ConfigReader.rope defaults the factor to 1 (whole heads); Persimmon's default is 0.5
        boolean factorGiven = k.has("partial_rotary_factor") || k.child("rope_parameters").has("partial_rotary_factor");
        double factor = factorGiven ? rope.partialRotaryFactor() : 0.5;
        int rotaryDim = (int) (headDim * factor);
        if (!(factor > 0 && factor <= 1) || rotaryDim < 2 || rotaryDim % 2 != 0) {
            throw k.error("partial_rotary_factor", factor + " rotates " + rotaryDim + " of " + headDim
                    + " values per head; RoPE needs an even number of at least 2");
        }
        return new PersimmonConfig(
                k.integer("vocab_size", 262144),
                hidden,
                k.integer("intermediate_size", 16384),
                k.integer("num_hidden_layers", 36),
                heads,
                k.number("layer_norm_eps", 1e-5),
                rope.theta(),
                rope.scaling(),
                factor,
                k.bool("qk_layernorm", true),
                ConfigReader.activation(k, "hidden_act", "relu2"),
                k.bool("tie_word_embeddings", top.bool("tie_word_embeddings", false)),
                maxPos);
    }
}
