package taskvec.study.analysis;

import java.util.List;

/**
 * The context embedding of a demonstration: the mean of its input tokens' embeddings
 * (the rows of the embedding output, or the image features, at the input's positions).
 */
public final class ContextEmbedding {
    private ContextEmbedding() {}

    /** Mean over the rows {@code from} (inclusive) to {@code to} (exclusive) of {@code embeddings} {@code (T, D)}. */
    public static float[] meanOf(float[][] embeddings, int from, int to) {
        if (from < 0 || to > embeddings.length || from >= to) {
            throw new IllegalArgumentException("input span [" + from + ", " + to + ") is not inside 0.." + embeddings.length);
        }
        int d = embeddings[0].length;
        double[] sum = new double[d];
        for (int t = from; t < to; t++) for (int j = 0; j < d; j++) sum[j] += embeddings[t][j];
        float[] out = new float[d]; // (D)
        for (int j = 0; j < d; j++) out[j] = (float) (sum[j] / (to - from));
        return out;
    }

    /** Mean of several demonstrations' embeddings: the context a task vector came from. */
    public static float[] meanOfAll(List<float[]> demos) {
        if (demos.isEmpty()) throw new IllegalArgumentException("no demonstrations");
        int d = demos.get(0).length;
        double[] sum = new double[d];
        for (float[] v : demos) for (int j = 0; j < d; j++) sum[j] += v[j];
        float[] out = new float[d];
        for (int j = 0; j < d; j++) out[j] = (float) (sum[j] / demos.size());
        return out;
    }
}
