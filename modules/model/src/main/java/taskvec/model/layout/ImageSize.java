package taskvec.model.layout;

import taskvec.model.image.ImageDecoder;

import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * An image's size as the model's processor receives it: after the study's optional pre-resize to a fixed width
 * (height = int(width / w * h)). Layouts whose token count depends on the image (Fuyu's patch grid) read it.
 */
public record ImageSize(int height, int width) {

    public ImageSize {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("an image size must be positive, got " + height + "x" + width);
        }
    }

    /** The size of an image file, read from its header only (no pixels decoded), then pre-resized if asked. */
    public static ImageSize of(Path file, OptionalInt preResizeWidth) {
        int[] hw = ImageDecoder.headerSize(file);
        return new ImageSize(hw[0], hw[1]).preResized(preResizeWidth);
    }

    /** The size after the reference study's pre-resize to a width, keeping the aspect ratio. */
    public ImageSize preResized(OptionalInt width) {
        if (width.isEmpty()) {
            return this;
        }
        int w = width.getAsInt();
        return new ImageSize((int) ((double) w / this.width * height), w);
    }
}
