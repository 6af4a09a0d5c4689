package taskvec.model.hooks;

import ai.djl.ndarray.NDArray;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Hooks that keep the whole activation at a set of sites (used for the vision tower, run once per prompt). */
public final class TensorRecorder implements HookPoints {

    private final Set<HookName> wanted;
    private final Map<HookName, NDArray> recorded = new HashMap<>();

    public TensorRecorder(Set<HookName> wanted) {
        this.wanted = wanted;
    }

    @Override
    public NDArray at(HookName name, NDArray x, int startPosition) {
        if (wanted.contains(name)) {
            recorded.put(name, x);
        }
        return x;
    }

    /** The recorded activation, or null if the site was not passed. */
    public NDArray get(HookName name) {
        return recorded.get(name);
    }
}
