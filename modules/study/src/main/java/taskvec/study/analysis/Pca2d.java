package taskvec.study.analysis;

import java.util.List;

/**
 * Principal component analysis to two dimensions: the points centred, the first two
 * eigenvectors of their covariance found by power iteration with deflation, each point
 * projected on them. Deterministic: a fixed start vector and a sign rule (the largest
 * component of each axis is positive).
 */
public final class Pca2d {
    private Pca2d() {}

    private static final int ITERATIONS = 500;

    /** One (x, y) per input row, in input order. Rows must share a length; at least two rows. */
    public static double[][] project(List<float[]> rows) {
        int n = rows.size();
        if (n < 2) throw new IllegalArgumentException("a 2-D map needs at least two points, got " + n);
        int d = rows.get(0).length;
        double[][] x = new double[n][d]; // (N, D), centred
        double[] mean = new double[d];
        for (float[] r : rows) {
            if (r.length != d) throw new IllegalArgumentException("points differ in dimension: " + d + " vs " + r.length);
            for (int j = 0; j < d; j++) mean[j] += r[j] / (double) n;
        }
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) x[i][j] = rows.get(i)[j] - mean[j];
        double[][] out = new double[n][2];
        double[][] axes = new double[2][];
        for (int c = 0; c < 2; c++) {
            double[] v = new double[d];
            for (int j = 0; j < d; j++) v[j] = 1.0 / Math.sqrt(d) * (1 + (j % 7) * 0.01); // not orthogonal to any axis by accident
            for (int it = 0; it < ITERATIONS; it++) {
                double[] next = covTimes(x, v); // X^T X v, shape (D)
                for (int p = 0; p < c; p++) subtractProjection(next, axes[p]);
                double norm = norm(next);
                if (norm == 0) { v = new double[d]; break; }
                for (int j = 0; j < d; j++) next[j] /= norm;
                v = next;
            }
            int largest = 0;
            for (int j = 1; j < d; j++) if (Math.abs(v[j]) > Math.abs(v[largest])) largest = j;
            if (v[largest] < 0) for (int j = 0; j < d; j++) v[j] = -v[j];
            axes[c] = v;
            for (int i = 0; i < n; i++) out[i][c] = dot(x[i], v);
        }
        return out;
    }

    private static double[] covTimes(double[][] x, double[] v) {
        double[] xv = new double[x.length]; // (N)
        for (int i = 0; i < x.length; i++) xv[i] = dot(x[i], v);
        double[] out = new double[v.length]; // (D)
        for (int i = 0; i < x.length; i++) for (int j = 0; j < v.length; j++) out[j] += x[i][j] * xv[i];
        return out;
    }

    private static void subtractProjection(double[] v, double[] axis) {
        double p = dot(v, axis);
        for (int j = 0; j < v.length; j++) v[j] -= p * axis[j];
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) s += a[j] * b[j];
        return s;
    }

    private static double norm(double[] v) {
        return Math.sqrt(dot(v, v));
    }
}
