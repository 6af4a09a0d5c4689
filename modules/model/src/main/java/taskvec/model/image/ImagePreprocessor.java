package taskvec.model.image;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * A model family's image processor: one image to the pixel tensors its vision side takes, in order (one for
 * CLIP/SigLIP; an image's crops for Idefics2 with splitting). The optional pre-resize to a fixed width is the
 * reference study's step before the processor.
 */
public interface ImagePreprocessor {

    /** Decodes and preprocesses a file; an undecodable file is an {@link ImageInputException} naming it. */
    List<PixelValues> preprocess(Path file, OptionalInt preResizeWidth);

    List<PixelValues> preprocess(BufferedImage image, OptionalInt preResizeWidth);
}
