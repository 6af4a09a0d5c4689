package taskvec.workflow.plan;

import com.fasterxml.jackson.databind.JsonNode;
import taskvec.store.key.ContentKey;

/** A work item of a stage, keyed before it runs: what it does ({@code what}) and its key. */
public record PlannedItem(String stage, StageItem what, ContentKey key) {

    /** The item part of the key, as stored. */
    public JsonNode item() {
        return key.parts().get("item");
    }

    /** "capture items=w10..w13 seed=1 spec=text-examples task=pair-first" for progress and errors. */
    public String label() {
        return describe(stage, item());
    }

    public static String describe(String stage, JsonNode item) {
        StringBuilder s = new StringBuilder(stage);
        item.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            if (v.isArray() && v.size() > 0) {
                s.append(' ').append(e.getKey()).append('=').append(v.get(0).asText());
                if (v.size() > 1) s.append("..").append(v.get(v.size() - 1).asText());
            } else if (!v.isContainerNode()) {
                s.append(' ').append(e.getKey()).append('=').append(v.asText());
            }
        });
        return s.toString();
    }
}
