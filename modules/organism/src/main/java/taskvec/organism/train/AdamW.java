package taskvec.organism.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (decoupled weight decay, bias-corrected moments) over Java float arrays, with clipping of the global
 * gradient norm. Plain loops in a fixed order, so an update is the same on every run.
 */
final class AdamW {

    private static final double EPS = 1e-8;

    private final double beta1;
    private final double beta2;
    private final double weightDecay;
    private final double clip;
    private final Map<String, float[]> m = new LinkedHashMap<>();
    private final Map<String, float[]> v = new LinkedHashMap<>();
    private int step;

    AdamW(double beta1, double beta2, double weightDecay, double clip) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.weightDecay = weightDecay;
        this.clip = clip;
    }

    /** The global L2 norm of the gradients (null ones count as zero). */
    static double norm(Map<String, float[]> grads) {
        double sq = 0;
        for (float[] g : grads.values()) {
            for (float x : g == null ? new float[0] : g) {
                sq += (double) x * x;
            }
        }
        return Math.sqrt(sq);
    }

    /**
     * Updates the parameters in place from their gradients (a null gradient counts as zero: the parameter was not
     * in this step's graph); returns the gradient norm before clipping.
     */
    double update(OrganismParameters params, Map<String, float[]> grads, double lr) {
        double norm = norm(grads);
        double scale = clip > 0 && norm > clip ? clip / norm : 1.0;
        step++;
        double c1 = 1 - Math.pow(beta1, step);
        double c2 = 1 - Math.pow(beta2, step);
        for (Map.Entry<String, OrganismParameters.Tensor> e : params.tensors().entrySet()) {
            float[] p = e.getValue().values();
            float[] g = grads.get(e.getKey());
            float[] mm = m.computeIfAbsent(e.getKey(), k -> new float[p.length]);
            float[] vv = v.computeIfAbsent(e.getKey(), k -> new float[p.length]);
            double decay = e.getValue().decays() ? weightDecay : 0;
            for (int i = 0; i < p.length; i++) {
                double gi = g == null ? 0 : g[i] * scale;
                mm[i] = (float) (beta1 * mm[i] + (1 - beta1) * gi);
                vv[i] = (float) (beta2 * vv[i] + (1 - beta2) * gi * gi);
                double update = (mm[i] / c1) / (Math.sqrt(vv[i] / c2) + EPS) + decay * p[i];
                p[i] = (float) (p[i] - lr * update);
            }
        }
        return norm;
    }
}
