package taskvec.study.analysis;

import taskvec.model.LensResult;

/**
 * The logit lens of one model: {@code softmax(lm_head(final_norm(h)))} of a residual vector, its
 * top-k token ids and the probabilities of chosen ids. {@code LoadedModel::logitLens} is one.
 */
@FunctionalInterface
public interface Lens {
    LensResult apply(float[] residual, int topK, int[] tokenIds);
}
