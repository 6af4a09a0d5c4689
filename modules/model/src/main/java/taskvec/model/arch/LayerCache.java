package taskvec.model.arch;

import ai.djl.ndarray.NDArray;

/**
 * Keys and values of one attention layer, in two parts: a shared prefix computed once for batch size 1 and
 * read by every row through broadcasting, and the per-row part (B rows) that follows it. Scratch state of one
 * run, never part of the weights.
 */
public final class LayerCache {

    NDArray sharedKeys;   // (1, Hkv, Ls, Dh) or null
    NDArray sharedValues;
    NDArray rowKeys;      // (B, Hkv, Lr, Dh) or null
    NDArray rowValues;
    /** While true, new keys/values go to the shared prefix. */
    boolean writingShared;
    /** While true (decoding), the row arrays a new step replaces are closed at once. */
    boolean closeReplaced;

    public int sharedLength() {
        return sharedKeys == null ? 0 : (int) sharedKeys.getShape().get(2);
    }

    public int rowLength() {
        return rowKeys == null ? 0 : (int) rowKeys.getShape().get(2);
    }

    void append(NDArray keys, NDArray values) {
        if (writingShared) {
            sharedKeys = sharedKeys == null ? keys : sharedKeys.concat(keys, 2);
            sharedValues = sharedValues == null ? values : sharedValues.concat(values, 2);
        } else {
            NDArray oldKeys = rowKeys;
            NDArray oldValues = rowValues;
            rowKeys = oldKeys == null ? keys : oldKeys.concat(keys, 2);
            rowValues = oldValues == null ? values : oldValues.concat(values, 2);
            if (closeReplaced && oldKeys != null) {
                oldKeys.close();
                oldValues.close();
            }
        }
    }

    void attach(ai.djl.ndarray.NDManager manager) {
        for (NDArray a : new NDArray[] {sharedKeys, sharedValues, rowKeys, rowValues}) {
            if (a != null) {
                a.attach(manager);
            }
        }
    }
}
