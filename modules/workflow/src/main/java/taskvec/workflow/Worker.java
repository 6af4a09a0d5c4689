package taskvec.workflow;

import java.time.Duration;
import java.util.Optional;
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

    public Worker(StudyWorkflow workflow) {
        this.workflow = workflow;
    }

    /** Works until interrupted, or until nothing was claimable for {@code idleExit} (null: forever). Returns the items done. */
    public int work(Duration idleExit) {
        ItemRunner runner = new ItemRunner(workflow);
        int done = 0;
        long idleSince = System.currentTimeMillis();
        while (!Thread.currentThread().isInterrupted()) {
            Optional<WorkItem> item = workflow.store().workItems().claimAny(workflow.options().workerName(), workflow.options().lease());
            if (item.isPresent()) {
                if (runner.run(item.get()) == Status.DONE) done++;
                LOG.info("{} {} item {}", workflow.options().workerName(), item.get().stage(), item.get().id());
                idleSince = System.currentTimeMillis();
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
}
