package taskvec.model.layout;

import java.util.List;

/**
 * How a model family writes a prompt's text and images as token ids: the one place that knows where a family's
 * image tokens go (LLaVA: n copies of the image token per image; Idefics2: fake tokens around latents; Fuyu: a
 * patch grid with row breaks). Positions in the result are final, so a study resolves read and write positions
 * on exactly what the model runs.
 */
public interface PromptLayout {

    /** What prompt text writes for one image, e.g. {@code <image>}; null for text-only models. */
    String imagePlaceholder();

    /** Whether the number of tokens of an image depends on its size (then {@link #layOut} needs real sizes). */
    boolean dependsOnImageSize();

    /**
     * @param text   prompt text with one {@link #imagePlaceholder()} per image
     * @param images one size per placeholder, in order (ignored unless {@link #dependsOnImageSize()})
     * @return the ids the model runs, BOS and image tokens included
     */
    TokenSequence layOut(String text, List<ImageSize> images);

    /**
     * Whether one image of this size can be laid out: an IllegalArgumentException saying why not (Fuyu: smaller than
     * one patch), so a caller that knows the image's file can name it. Sizes never matter by default.
     */
    default void checkImage(ImageSize size) {
    }
}
