package taskvec.model.hooks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The language-model hooks of a batch of rows: batch index b carries row b's interventions, and captures are
 * stored per row. In shared mode the batch has one sequence that stands for every row (an unpatched prefix):
 * it takes no interventions, and its captures go to every row that asked for them.
 */
public final class RowHooks implements HookPoints {

    private final boolean shared;
    private final Map<HookName, List<int[]>> captureSites = new HashMap<>();        // {row, position}
    private final Map<HookName, List<Object[]>> interventionSites = new HashMap<>(); // {row, Intervention}
    private final List<Map<Capture, float[]>> captured;

    /**
     * @param rowCaptures      captures of each row
     * @param rowInterventions interventions of each row (must be empty in shared mode)
     * @param captured         per-row result maps this object fills
     */
    public RowHooks(boolean shared, List<List<Capture>> rowCaptures, List<List<Intervention>> rowInterventions,
                    List<Map<Capture, float[]>> captured) {
        this.shared = shared;
        this.captured = captured;
        for (int r = 0; r < rowCaptures.size(); r++) {
            for (Capture c : rowCaptures.get(r)) {
                if (!c.hook().isVisionSide()) {
                    captureSites.computeIfAbsent(c.hook(), k -> new ArrayList<>()).add(new int[] {r, c.position()});
                }
            }
        }
        for (int r = 0; r < rowInterventions.size(); r++) {
            for (Intervention i : rowInterventions.get(r)) {
                if (shared) {
                    throw new IllegalStateException("a shared prefix takes no interventions");
                }
                interventionSites.computeIfAbsent(i.hook(), k -> new ArrayList<>()).add(new Object[] {r, i});
            }
        }
    }

    @Override
    public NDArray at(HookName name, NDArray x, int start) {
        x = intervene(name, x, start);
        capture(name, x, start);
        return x;
    }

    private NDArray intervene(HookName name, NDArray x, int start) {
        List<Object[]> sites = interventionSites.get(name);
        if (sites == null) {
            return x;
        }
        long[] s = x.getShape().getShape(); // (B, T, D)
        int b = (int) s[0];
        int t = (int) s[1];
        int d = (int) s[2];
        float[] keep = null;
        float[] add = null;
        for (Object[] site : sites) {
            int row = (Integer) site[0];
            Intervention iv = (Intervention) site[1];
            int p = iv.position() - start;
            if (p < 0 || p >= t) {
                continue;
            }
            if (iv.vector().length != d) {
                throw new IllegalArgumentException("intervention at " + name + " has a vector of length "
                        + iv.vector().length + ", the activation has " + d);
            }
            if (keep == null) {
                keep = new float[b * t];
                java.util.Arrays.fill(keep, 1f);
                add = new float[b * t * d];
            }
            int cell = row * t + p;
            if (iv.mode() == Intervention.Mode.REPLACE) {
                keep[cell] = 0f;
                System.arraycopy(iv.vector(), 0, add, cell * d, d);
            } else {
                for (int i = 0; i < d; i++) {
                    add[cell * d + i] += iv.scale() * iv.vector()[i];
                }
            }
        }
        if (keep == null) {
            return x;
        }
        NDManager m = x.getManager();
        DataType dt = x.getDataType();
        NDArray keepA = m.create(keep, new Shape(b, t, 1)).toType(dt, false).toDevice(x.getDevice(), false);
        NDArray addA = m.create(add, new Shape(b, t, d)).toType(dt, false).toDevice(x.getDevice(), false);
        return x.mul(keepA).add(addA); // x[b, p] = keep * x + add, never in place
    }

    private void capture(HookName name, NDArray x, int start) {
        List<int[]> sites = captureSites.get(name);
        if (sites == null) {
            return;
        }
        long[] s = x.getShape().getShape(); // (B, T, D)
        int t = (int) s[1];
        int d = (int) s[2];
        float[] all = null;
        for (int[] site : sites) {
            int p = site[1] - start;
            if (p < 0 || p >= t) {
                continue;
            }
            if (all == null) {
                all = x.toType(DataType.FLOAT32, false).toDevice(ai.djl.Device.cpu(), false).toFloatArray();
            }
            int batchIndex = shared ? 0 : site[0];
            float[] v = new float[d];
            System.arraycopy(all, (batchIndex * t + p) * d, v, 0, d);
            captured.get(site[0]).put(new Capture(name, site[1]), v);
        }
    }
}
