package taskvec.workflow;

import java.util.List;
import java.util.Map;
import taskvec.store.repo.Status;

/**
 * How a run ended: its status, the failed items (described, with their errors) and per stage how
 * many items were done here, reused from finished work with the same key, or failed.
 */
public record RunOutcome(long runId, Status status, String error, Map<String, Map<Status, Integer>> items, List<String> failed,
                         long millis) {

    public int count(Status s) {
        return items.values().stream().mapToInt(m -> m.getOrDefault(s, 0)).sum();
    }
}
