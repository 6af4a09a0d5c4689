package taskvec.workflow;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import taskvec.store.repo.Status;
import taskvec.store.repo.WorkItem;
import taskvec.workflow.context.RunContext;
import taskvec.workflow.plan.PlannedItem;
import taskvec.workflow.stage.Stages;

/**
 * Does one claimed work item: its stage's work with a lease heartbeat, then completes it with the
 * claim token; an exception is recorded as the item's error: a transient fault ({@link Retries}) goes
 * back to pending while attempts remain, anything else fails the item at once.
 */
final class ItemRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ItemRunner.class);
    private static final ScheduledExecutorService HEARTBEAT = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "taskvec-lease-heartbeat");
        t.setDaemon(true);
        return t;
    });

    private final StudyWorkflow workflow;

    ItemRunner(StudyWorkflow workflow) {
        this.workflow = workflow;
    }

    /** Returns the item's status afterwards (done, pending for a retry, or failed). */
    Status run(WorkItem item) {
        WorkflowOptions options = workflow.options();
        var repo = workflow.store().workItems();
        long leaseMs = options.lease().toMillis();
        ScheduledFuture<?> beat = HEARTBEAT.scheduleAtFixedRate(() -> repo.extendLease(item.id(), item.claimToken(), options.lease()),
                leaseMs / 3, leaseMs / 3, TimeUnit.MILLISECONDS);
        try {
            if (!options.itemDelay().isZero()) Thread.sleep(options.itemDelay().toMillis());
            RunContext ctx = workflow.context(item.runId());
            Stages.named(item.stage()).execute(ctx, item.key().parts());
            return repo.complete(item.id(), item.claimToken()) ? Status.DONE : Status.RUNNING;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            repo.fail(item.id(), item.claimToken(), "interrupted");
            return Status.PENDING;
        } catch (RuntimeException e) {
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            Status s = repo.fail(item.id(), item.claimToken(), error).orElse(Status.RUNNING);
            // the same input gives the same error (bad input, a missing file, missing upstream work): no attempts are spent on retrying it
            if (!Retries.isTransient(e) && s == Status.PENDING && repo.failAtOnce(item.id(), error)) s = Status.FAILED;
            LOG.warn("{} (attempt {} of {}): {}", PlannedItem.describe(item.stage(), item.key().parts().get("item")),
                    item.attempts(), item.maxAttempts(), error);
            return s;
        } finally {
            beat.cancel(false);
        }
    }
}
