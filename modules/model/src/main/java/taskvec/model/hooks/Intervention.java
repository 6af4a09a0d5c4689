package taskvec.model.hooks;

/**
 * Change the activation at a hook site and prompt position: REPLACE sets {@code x[pos] = vector}; ADD sets
 * {@code x[pos] += scale * vector}. Every later layer and every later position sees the change.
 */
public record Intervention(HookName hook, int position, float[] vector, Mode mode, float scale) {

    public enum Mode { REPLACE, ADD }

    public Intervention {
        if (hook == null || vector == null || mode == null) {
            throw new IllegalArgumentException("intervention needs a hook, a vector and a mode");
        }
        if (hook.isVisionSide()) {
            throw new IllegalArgumentException("interventions apply to language-model sites, not " + hook);
        }
        if (position < 0) {
            throw new IllegalArgumentException("intervention position must be >= 0, got " + position);
        }
    }

    public static Intervention replace(int layer, int position, float[] vector) {
        return new Intervention(HookName.residPost(layer), position, vector, Mode.REPLACE, 1f);
    }

    public static Intervention add(int layer, int position, float[] vector, float scale) {
        return new Intervention(HookName.residPost(layer), position, vector, Mode.ADD, scale);
    }
}
