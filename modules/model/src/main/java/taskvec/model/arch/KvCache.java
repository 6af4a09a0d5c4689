package taskvec.model.arch;

/** One {@link LayerCache} per decoder layer. */
public final class KvCache {

    private final LayerCache[] layers;

    public KvCache(int numLayers) {
        layers = new LayerCache[numLayers];
        for (int i = 0; i < numLayers; i++) {
            layers[i] = new LayerCache();
        }
    }

    public LayerCache layer(int l) {
        return layers[l];
    }

    /** Positions cached so far (shared prefix plus row part). */
    public int length() {
        return layers.length == 0 ? 0 : layers[0].sharedLength() + layers[0].rowLength();
    }

    /** Switches where new keys and values go: the shared batch-1 prefix, or the per-row part. */
    public void writeShared(boolean shared) {
        for (LayerCache c : layers) {
            c.writingShared = shared;
        }
    }

    /** While decoding, each step's concatenation replaces (and closes) the previous row arrays. */
    public void decoding(boolean on) {
        for (LayerCache c : layers) {
            c.closeReplaced = on;
        }
    }

    /** Moves every cached array to the given manager (it outlives the step that made them). */
    public void attachTo(ai.djl.ndarray.NDManager manager) {
        for (LayerCache c : layers) {
            c.attach(manager);
        }
    }
}
