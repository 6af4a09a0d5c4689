package taskvec.workflow;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import taskvec.store.repo.Status;
import taskvec.store.repo.WorkItem;
import taskvec.workflow.plan.PlannedItem;
import taskvec.workflow.stage.ItemWork;

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
            ItemWork.of(item.stage(), item.key().parts().get("item")).execute(ctx, item.key().parts());
            return repo.complete(item.id(), item.claimToken()) ? Status.DONE : Status.RUNNING;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            repo.fail(item.id(), item.claimToken(), "interrupted");
            return Status.PENDING;
        } catch (RuntimeException e) {
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            Status s = repo.fail(item.id(), item.claimToken(), error).orElse(Status.RUNNING);
            if (!Retries.isTransient(e) && s == Status.PENDING) s = failNow(item.id(), error);
            LOG.warn("{} (attempt {} of {}): {}", PlannedItem.describe(item.stage(), item.key().parts().get("item")),
                    item.attempts(), item.maxAttempts(), error);
            return s;
        } finally {
            beat.cancel(false);
        }
    }

    /** The same input gives the same error (bad input, a missing file, missing upstream work): no attempts are spent on retrying it. */
    private Status failNow(long itemId, String error) {
        try (var c = workflow.store().dataSource().getConnection();
             var ps = c.prepareStatement("UPDATE work_items SET status = 'failed', error = ? WHERE id = ? AND status = 'pending'")) {
            ps.setString(1, error);
            ps.setLong(2, itemId);
            return ps.executeUpdate() == 1 ? Status.FAILED : Status.PENDING;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("failing work item " + itemId + ": " + e.getMessage(), e);
        }
    }
}
