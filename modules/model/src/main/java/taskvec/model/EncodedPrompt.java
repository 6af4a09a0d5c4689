package taskvec.model;

import taskvec.model.image.PixelValues;

import java.util.Arrays;
import java.util.List;

/**
 * A prompt ready to run: token ids after image-placeholder expansion, the text of every position
 * (image positions carry the placeholder text), and one preprocessed image per placeholder, in order.
 */
public record EncodedPrompt(int[] ids, String[] tokens, List<PixelValues> images) {

    public EncodedPrompt {
        if (tokens != null && tokens.length != ids.length) {
            throw new IllegalArgumentException("tokens has " + tokens.length + " entries for " + ids.length + " ids");
        }
        images = images == null ? List.of() : List.copyOf(images);
    }

    public int length() {
        return ids.length;
    }

    /** Same ids and same pixel values: rows with such prompts can share one batch. */
    public boolean sameInputAs(EncodedPrompt other) {
        if (!Arrays.equals(ids, other.ids) || images.size() != other.images.size()) {
            return false;
        }
        for (int i = 0; i < images.size(); i++) {
            PixelValues a = images.get(i);
            PixelValues b = other.images.get(i);
            if (a != b && (a.channels() != b.channels() || a.height() != b.height() || a.width() != b.width()
                    || !Arrays.equals(a.data(), b.data()))) {
                return false;
            }
        }
        return true;
    }
}
