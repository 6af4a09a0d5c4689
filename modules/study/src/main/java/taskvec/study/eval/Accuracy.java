package taskvec.study.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The paper's aggregation: accuracy is the mean over items per (task, seed, condition, layer),
 * then the mean over seeds, then the mean over tasks.
 */
public final class Accuracy {
    private Accuracy() {}

    public record PerSeed(String task, int seed, String condition, int layer, int items, int correct, double accuracy) {}
    public record PerTask(String task, String condition, int layer, int seeds, double accuracy) {}
    public record Overall(String condition, int layer, int tasks, double accuracy) {}

    public static List<PerSeed> perSeed(List<Prediction> predictions) {
        record Key(String task, int seed, String condition, int layer) {}
        Map<Key, int[]> counts = new LinkedHashMap<>();
        for (Prediction p : predictions) {
            int[] c = counts.computeIfAbsent(new Key(p.task(), p.seed(), p.condition(), p.layer()), k -> new int[2]);
            c[0]++;
            if (p.correct()) c[1]++;
        }
        List<PerSeed> out = new ArrayList<>();
        counts.forEach((k, c) -> out.add(new PerSeed(k.task(), k.seed(), k.condition(), k.layer(), c[0], c[1], (double) c[1] / c[0])));
        out.sort(Comparator.comparing(PerSeed::condition).thenComparing(PerSeed::task)
                .thenComparingInt(PerSeed::layer).thenComparingInt(PerSeed::seed));
        return out;
    }

    public static List<PerTask> overSeeds(List<PerSeed> rows) {
        record Key(String task, String condition, int layer) {}
        Map<Key, List<Double>> groups = new LinkedHashMap<>();
        for (PerSeed r : rows) groups.computeIfAbsent(new Key(r.task(), r.condition(), r.layer()), k -> new ArrayList<>()).add(r.accuracy());
        List<PerTask> out = new ArrayList<>();
        groups.forEach((k, v) -> out.add(new PerTask(k.task(), k.condition(), k.layer(), v.size(), mean(v))));
        return out;
    }

    public static List<Overall> overTasks(List<PerTask> rows) {
        record Key(String condition, int layer) {}
        Map<Key, List<Double>> groups = new LinkedHashMap<>();
        for (PerTask r : rows) groups.computeIfAbsent(new Key(r.condition(), r.layer()), k -> new ArrayList<>()).add(r.accuracy());
        List<Overall> out = new ArrayList<>();
        groups.forEach((k, v) -> out.add(new Overall(k.condition(), k.layer(), v.size(), mean(v))));
        return out;
    }

    /**
     * The layer to test at: the best accuracy averaged over seeds and tasks among the given
     * condition's rows, the lowest layer among equals (differences below 1e-12 count as equal,
     * so float rounding of equal fractions cannot decide).
     */
    public static int bestLayer(List<Overall> rows, String condition) {
        TreeMap<Integer, Double> byLayer = new TreeMap<>();
        for (Overall r : rows) {
            if (r.condition().equals(condition) && r.layer() >= 0) byLayer.put(r.layer(), r.accuracy());
        }
        if (byLayer.isEmpty()) throw new IllegalArgumentException("no per-layer accuracy for condition '" + condition + "'");
        int best = byLayer.firstKey();
        double bestAcc = byLayer.firstEntry().getValue();
        for (Map.Entry<Integer, Double> e : byLayer.entrySet()) {
            if (e.getValue() > bestAcc + 1e-12) {
                best = e.getKey();
                bestAcc = e.getValue();
            }
        }
        return best;
    }

    private static double mean(List<Double> v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.size();
    }
}
