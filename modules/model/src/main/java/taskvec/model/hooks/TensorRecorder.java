package taskvec.model.hooks;

import ai.djl.ndarray.NDArray;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Hooks that keep the whole activation at a set of sites (used for the vision side, run once per prompt). A site
 * that fires more than once in that run (a vision tower run crop by crop) keeps the rows of every call, in call
 * order, as (rows, width): what a vision-side capture indexes.
 */
public final class TensorRecorder implements HookPoints {

    private final Set<HookName> wanted;
    private final Map<HookName, NDArray> recorded = new HashMap<>();

    public TensorRecorder(Set<HookName> wanted) {
        this.wanted = wanted;
    }

    @Override
    public NDArray at(HookName name, NDArray x, int startPosition) {
        if (wanted.contains(name)) {
            recorded.merge(name, x, TensorRecorder::rowsOfBoth);
        }
        return x;
    }

    private static NDArray rowsOfBoth(NDArray earlier, NDArray later) {
        long width = later.getShape().get(later.getShape().dimension() - 1);
        return earlier.reshape(-1, width).concat(later.reshape(-1, width), 0);               // (rows, width)
    }

    /** The recorded activation, or null if the site was not passed. */
    public NDArray get(HookName name) {
        return recorded.get(name);
    }
}
