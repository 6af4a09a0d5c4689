package taskvec.workflow;

import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import taskvec.store.repo.Status;
import taskvec.store.repo.WorkItem;

/**
 * Joins the runs of a shared store: claims items of any running run (whatever stage the run's
 * coordinator has opened), does them with the run's study and model, and records them. The
 * coordinator of each run (taskvec run/resume) claims too and waits for items others hold.
 */
public final class Worker {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    private final StudyWorkflow workflow;
    /** Runs this process checked and can serve, and those it cannot (their items are not claimed again). */
    private final Set<Long> served = new HashSet<>();
    private final Set<Long> refused = new HashSet<>();

    public Worker(StudyWorkflow workflow) {
        this.workflow = workflow;
    }

    /** Works until interrupted, or until nothing was claimable for {@code idleExit} (null: forever). Returns the items done. */
    public int work(Duration idleExit) {
        ItemRunner runner = new ItemRunner(workflow);
        var repo = workflow.store().workItems();
        int done = 0;
        long idleSince = System.currentTimeMillis();
        while (!Thread.currentThread().isInterrupted() && !workflow.stopping()) {
            Optional<WorkItem> claimed = DatabaseRetry.retrying("claiming an item",
                    () -> repo.claimAny(workflow.options().workerName(), workflow.options().lease(), refused));
            if (claimed.isPresent()) {
                WorkItem item = claimed.get();
                idleSince = System.currentTimeMillis();
                if (!served.contains(item.runId())) {
                    // the check can take as long as loading the run's model: done holding nothing, then claim again
                    DatabaseRetry.retrying("giving an item back", () -> repo.giveBack(item.id(), item.claimToken()));
                    check(item.runId());
                    continue;
                }
                if (runner.run(item) == Status.DONE) done++;
                LOG.info("{} {} item {}", workflow.options().workerName(), item.stage(), item.id());
                continue;
            }
            if (idleExit != null && System.currentTimeMillis() - idleSince > idleExit.toMillis()) break;
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return done;
    }

    /**
     * A run is checked when this process first claims one of its items (so runs left 'running' by a
     * crash, with nothing to claim, cost nothing); one it cannot serve is said why and left alone.
     */
    private void check(long runId) {
        Optional<String> why = DatabaseRetry.retrying("checking run " + runId, () -> workflow.whyCannotServe(runId));
        if (why.isEmpty()) {
            served.add(runId);
        } else {
            LOG.warn("{} leaves run {} alone: {}", workflow.options().workerName(), runId, why.get());
            refused.add(runId);
        }
    }
}
