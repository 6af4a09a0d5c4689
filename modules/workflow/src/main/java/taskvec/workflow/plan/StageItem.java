package taskvec.workflow.plan;

import java.util.Map;

/** What one work item of a stage does, as a value (a record per stage); its key's "item" part is {@link #keyPart}. */
public interface StageItem {
    /** The fields as the key (and so the database's key_parts) holds them. */
    Map<String, Object> keyPart();
}
