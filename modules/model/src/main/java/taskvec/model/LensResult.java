package taskvec.model;

/** Logit lens of one residual vector: the top-k tokens with their probabilities, and the probabilities of asked-for ids. */
public record LensResult(int[] topIds, float[] topProbs, float[] probsOfIds) {
}
