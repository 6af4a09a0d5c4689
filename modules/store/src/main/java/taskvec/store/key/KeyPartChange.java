package taskvec.store.key;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One key part that differs between two keys; {@code before} or {@code after} is null when the
 * part was added or removed.
 */
public record KeyPartChange(String name, JsonNode before, JsonNode after) {

    /** "study.layers: [0,1] -> [0,1,2]" */
    @Override
    public String toString() {
        return name + ": " + (before == null ? "(absent)" : before.toString()) + " -> "
                + (after == null ? "(absent)" : after.toString());
    }
}
