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

    /** Returns the item's status afterwards (done, pending for a retry, failed, or running when its claim was lost). */
    Status run(WorkItem item) {
        WorkflowOptions options = workflow.options();
        var repo = workflow.store().workItems();
        String described = PlannedItem.describe(item.stage(), item.key().parts().get("item"));
        long leaseMs = options.lease().toMillis();
        Heartbeat heartbeat = new Heartbeat(item, described);
        ScheduledFuture<?> beat = HEARTBEAT.scheduleAtFixedRate(heartbeat, leaseMs / 3, leaseMs / 3, TimeUnit.MILLISECONDS);
        try {
            if (!options.itemDelay().isZero()) Thread.sleep(options.itemDelay().toMillis());
            // the item's writes are keyed and idempotent: a connection broken under them means doing it again
            DatabaseRetry.retrying(described, () -> {
                RunContext ctx = workflow.context(item.runId());
                Stages.named(item.stage()).execute(ctx, item.key().parts());
            });
            if (DatabaseRetry.retrying("completing " + described, () -> repo.complete(item.id(), item.claimToken()))) {
                return Status.DONE;
            }
            LOG.warn("{}: not recorded as done: its claim ended (the lease ran out and another worker took it),"
                    + " so that worker's result counts and this one is dropped", described);
            return Status.RUNNING;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            repo.fail(item.id(), item.claimToken(), "interrupted");
            return Status.PENDING;
        } catch (RuntimeException e) {
            if (taskvec.store.DatabaseFaults.unavailable(e) != null) throw e; // nothing can be recorded: the process stops
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            Status s = repo.fail(item.id(), item.claimToken(), error).orElse(Status.RUNNING);
            // the same input gives the same error (bad input, a missing file, missing upstream work): no attempts are spent on retrying it
            if (!Retries.isTransient(e) && s == Status.PENDING && repo.failAtOnce(item.id(), error)) s = Status.FAILED;
            LOG.warn("{} (attempt {} of {}): {}", described, item.attempts(), item.maxAttempts(), error);
            return s;
        } finally {
            beat.cancel(false);
        }
    }

    /**
     * Keeps an item's lease alive. A refused extension means the claim is gone (the lease ran out
     * during a stall or partition and another worker took the item): said once, and the beats stop.
     * A database that does not answer is waited for by the next beat.
     */
    private final class Heartbeat implements Runnable {
        private final WorkItem item;
        private final String described;
        private volatile boolean lost;

        Heartbeat(WorkItem item, String described) {
            this.item = item;
            this.described = described;
        }

        @Override
        public void run() {
            if (lost) return;
            try {
                if (!workflow.store().workItems().extendLease(item.id(), item.claimToken(), workflow.options().lease())) {
                    lost = true;
                    LOG.warn("{}: lease refused: another worker holds the item now; this process's result will not count",
                            described);
                }
            } catch (RuntimeException e) {
                // thrown out of a scheduled task, it would end the beats for good
                LOG.warn("{}: lease heartbeat failed ({}); trying again", described, DatabaseRetry.rootMessage(e));
            }
        }
    }
}
