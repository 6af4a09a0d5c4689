package taskvec.model.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

import java.util.stream.IntStream;

/**
 * Puts the projected image features at the image-token positions of a prompt, in order: one gather over
 * [token embeddings; image features], so no array is written in place and gradients flow to both.
 */
public final class ImageTokenMerger {

    private ImageTokenMerger() {
    }

    /** Positions holding the image token id. */
    public static int[] imagePositions(int[] ids, int imageTokenId) {
        return IntStream.range(0, ids.length).filter(i -> ids[i] == imageTokenId).toArray();
    }

    /**
     * @param tokenEmbeds (T, D)
     * @param imageEmbeds (K, D), K = number of image positions
     * @return (T, D)
     */
    public static NDArray merge(NDArray tokenEmbeds, NDArray imageEmbeds, int[] imagePositions) {
        long t = tokenEmbeds.getShape().get(0);
        long k = imageEmbeds.getShape().get(0);
        if (k != imagePositions.length) {
            throw new IllegalArgumentException("the prompt has " + imagePositions.length
                    + " image-token positions but the images give " + k + " features");
        }
        long[] source = new long[(int) t];
        for (int i = 0; i < t; i++) {
            source[i] = i;
        }
        for (int j = 0; j < imagePositions.length; j++) {
            source[imagePositions[j]] = t + j;
        }
        NDManager m = tokenEmbeds.getManager();
        NDArray index = m.create(source, new Shape(t)).toDevice(tokenEmbeds.getDevice(), false);
        NDArray both = tokenEmbeds.concat(imageEmbeds.toType(tokenEmbeds.getDataType(), false), 0); // (T+K, D)
        return both.get(new NDIndex("{}", index));                                                   // (T, D)
    }
}
