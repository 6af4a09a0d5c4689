package taskvec.model.config;

/**
 * A Fuyu model's config.json (adept/fuyu-8b, TIGER-Lab/Mantis-8B-Fuyu): a Persimmon decoder that reads images as
 * patches through one linear layer ({@code vision_embed_tokens}), no vision tower.
 *
 * @param imageTokenId the token of every patch slot ({@code |SPEAKER|} in Fuyu's tokenizer)
 * @param patchSize    patch side in pixels; a patch is patchSize x patchSize x numChannels values
 */
public record FuyuConfig(PersimmonConfig text, int imageTokenId, int patchSize, int numChannels) {

    /** Values of one flattened patch: the input width of vision_embed_tokens. */
    public int patchValues() {
        return patchSize * patchSize * numChannels;
    }
}
