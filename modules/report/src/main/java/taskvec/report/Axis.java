package taskvec.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A linear axis from data values to pixels, with a few round ticks. */
final class Axis {
    final double min;
    final double max;
    private final double from;
    private final double to;

    Axis(double min, double max, double from, double to) {
        // a range within float rounding of one value (cosines of identical vectors: 1 +- 1e-16) is one value: a tick
        // step below the doubles' resolution there would never advance
        if (!(max - min > 1e-9 * Math.max(Math.abs(min), Math.abs(max)))) {
            double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
            min -= pad;
            max += pad;
        }
        this.min = min;
        this.max = max;
        this.from = from;
        this.to = to;
    }

    static Axis over(List<Double> values, double from, double to, boolean fromZero) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (Double.isNaN(v)) continue;
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (lo == Double.POSITIVE_INFINITY) { lo = 0; hi = 1; }
        if (fromZero) lo = Math.min(lo, 0);
        return new Axis(lo, hi, from, to);
    }

    double px(double v) {
        return from + (v - min) / (max - min) * (to - from);
    }

    /** About five round tick values inside the range. */
    List<Double> ticks(boolean integers) {
        double span = max - min;
        double step = Math.pow(10, Math.floor(Math.log10(span / 5)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (span / (step * m) <= 6) { step *= m; break; }
        }
        if (integers) step = Math.max(1, Math.round(step));
        List<Double> out = new ArrayList<>();
        for (double t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) out.add(t);
        return out;
    }

    static String label(double v, boolean integers) {
        if (integers) return Long.toString(Math.round(v));
        return Math.abs(v) < 0.1 && v != 0 ? String.format(Locale.ROOT, "%.3f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
