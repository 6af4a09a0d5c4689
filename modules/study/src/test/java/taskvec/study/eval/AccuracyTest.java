package taskvec.study.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import taskvec.study.data.Split;

class AccuracyTest {
    private static void add(List<Prediction> out, String task, int seed, String cond, int layer, boolean... correct) {
        for (int i = 0; i < correct.length; i++) {
            out.add(new Prediction(task, seed, Split.VAL, task + "-" + i, cond, layer, "p", "l", correct[i]));
        }
    }

    @Test
    void meanOverItemsThenSeedsThenTasks() {
        List<Prediction> p = new ArrayList<>();
        add(p, "a", 1, "patch", 0, true, false, false, false);  // 0.25
        add(p, "a", 2, "patch", 0, true, true, false, false);   // 0.5
        add(p, "b", 1, "patch", 0, true);                       // 1.0 (one item)
        add(p, "b", 2, "patch", 0, false, false, false);        // 0.0
        List<Accuracy.PerSeed> perSeed = Accuracy.perSeed(p);
        assertEquals(4, perSeed.size());
        assertEquals(new Accuracy.PerSeed("a", 1, "patch", 0, 4, 1, 0.25), perSeed.get(0));
        List<Accuracy.PerTask> perTask = Accuracy.overSeeds(perSeed);
        assertEquals(0.375, perTask.stream().filter(r -> r.task().equals("a")).findFirst().orElseThrow().accuracy(), 1e-12);
        assertEquals(0.5, perTask.stream().filter(r -> r.task().equals("b")).findFirst().orElseThrow().accuracy(), 1e-12);
        List<Accuracy.Overall> overall = Accuracy.overTasks(perTask);
        assertEquals(1, overall.size());
        // (0.375 + 0.5) / 2, not the pooled 4/12
        assertEquals(0.4375, overall.get(0).accuracy(), 1e-12);
        assertEquals(2, overall.get(0).tasks());
    }

    @Test
    void bestLayerBreaksTiesToTheLowestLayer() {
        List<Accuracy.Overall> rows = List.of(
                new Accuracy.Overall("patch", 3, 2, 0.5),
                new Accuracy.Overall("patch", 1, 2, 0.5),
                new Accuracy.Overall("patch", 2, 2, 0.25),
                new Accuracy.Overall("patch", 0, 2, 0.125),
                new Accuracy.Overall("other", 0, 2, 0.9),
                new Accuracy.Overall("patch", -1, 2, 1.0));  // no-layer rows never count
        assertEquals(1, Accuracy.bestLayer(rows, "patch"));
        // equal fractions reached through different float sums still tie
        List<Accuracy.Overall> nearlyEqual = List.of(
                new Accuracy.Overall("patch", 5, 3, (0.1 + 0.2) + 0.3),
                new Accuracy.Overall("patch", 4, 3, 0.1 + (0.2 + 0.3)));
        assertEquals(4, Accuracy.bestLayer(nearlyEqual, "patch"));
        assertEquals(2, Accuracy.bestLayer(List.of(new Accuracy.Overall("c", 2, 1, 0.0), new Accuracy.Overall("c", 7, 1, 0.0)), "c"));
        assertThrows(IllegalArgumentException.class, () -> Accuracy.bestLayer(rows, "missing"));
    }

    @Test
    void bestLayerFromPredictionsAveragesOverSeedsAndTasks() {
        List<Prediction> p = new ArrayList<>();
        // layer 0: task a strong on seed 1 only; layer 1: steady on both tasks
        add(p, "a", 1, "patch", 0, true, true);
        add(p, "a", 2, "patch", 0, false, false);
        add(p, "b", 1, "patch", 0, false, false);
        add(p, "b", 2, "patch", 0, false, false);
        add(p, "a", 1, "patch", 1, true, false);
        add(p, "a", 2, "patch", 1, true, false);
        add(p, "b", 1, "patch", 1, true, false);
        add(p, "b", 2, "patch", 1, false, false);
        assertEquals(1, Accuracy.bestLayer(Accuracy.overTasks(Accuracy.overSeeds(Accuracy.perSeed(p))), "patch"));
    }
}
