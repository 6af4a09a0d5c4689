package taskvec.workflow;

import java.time.Duration;
import taskvec.store.repo.WorkItemRepository;

/**
 * How this process takes part in runs.
 *
 * @param fresh       reuse nothing from other runs (every item runs; for reproducibility checks)
 * @param workerName  what claimed_by records ("host:pid" by default)
 * @param lease       how long a claim holds without a heartbeat
 * @param maxAttempts attempts per item before it is marked failed
 * @param itemDelay   a pause before each item (the property taskvec.itemDelayMs), so crash tests can kill a run mid-stage
 *                    (fault tests also shorten the lease with the property taskvec.leaseMs)
 */
public record WorkflowOptions(boolean fresh, String workerName, Duration lease, int maxAttempts, Duration itemDelay,
                              ProgressListener progress) {

    public static WorkflowOptions defaults() {
        long delay = Long.getLong("taskvec.itemDelayMs", 0L);
        long lease = Long.getLong("taskvec.leaseMs", Duration.ofMinutes(2).toMillis());
        return new WorkflowOptions(false, WorkItemRepository.defaultWorkerName(), Duration.ofMillis(lease), 3,
                Duration.ofMillis(delay), ProgressListener.NONE);
    }

    public WorkflowOptions withFresh(boolean f) {
        return new WorkflowOptions(f, workerName, lease, maxAttempts, itemDelay, progress);
    }

    public WorkflowOptions withProgress(ProgressListener p) {
        return new WorkflowOptions(fresh, workerName, lease, maxAttempts, itemDelay, p);
    }

    public WorkflowOptions withWorkerName(String name) {
        return new WorkflowOptions(fresh, name, lease, maxAttempts, itemDelay, progress);
    }
}
