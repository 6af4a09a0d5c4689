package taskvec.model.config;

/**
 * An Idefics2 config.json: the NaViT SigLIP vision tower, the perceiver connector and the decoder.
 *
 * @param imageTokenId the id of {@code <image>}, whose positions the connector's rows replace
 */
public record Idefics2Config(TextConfig text, VisionConfig vision, PerceiverConfig perceiver, int imageTokenId) {
}
