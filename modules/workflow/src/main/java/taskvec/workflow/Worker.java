package taskvec.workflow;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import taskvec.store.repo.Run;
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
    /** Runs seen, and whether this process cannot serve them. */
    private final Map<Long, Boolean> checked = new HashMap<>();

    public Worker(StudyWorkflow workflow) {
        this.workflow = workflow;
    }

    /** Works until interrupted, or until nothing was claimable for {@code idleExit} (null: forever). Returns the items done. */
    public int work(Duration idleExit) {
        ItemRunner runner = new ItemRunner(workflow);
        int done = 0;
        long idleSince = System.currentTimeMillis();
        while (!Thread.currentThread().isInterrupted() && !workflow.stopping()) {
            Set<Long> refused = DatabaseRetry.retrying("checking the running runs", this::runsItCannotServe);
            Optional<WorkItem> item = DatabaseRetry.retrying("claiming an item",
                    () -> workflow.store().workItems().claimAny(workflow.options().workerName(), workflow.options().lease(), refused));
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

    /** Each running run is checked once, when first seen: one this process cannot serve is said why and left alone. */
    private Set<Long> runsItCannotServe() {
        for (Run run : workflow.store().runs().running()) {
            checked.computeIfAbsent(run.id(), id -> {
                Optional<String> why = workflow.whyCannotServe(id);
                why.ifPresent(w -> LOG.warn("{} leaves run {} alone: {}", workflow.options().workerName(), id, w));
                return why.isPresent();
            });
        }
        Set<Long> refused = new HashSet<>();
        checked.forEach((id, cannot) -> {
            if (cannot) refused.add(id);
        });
        return refused;
    }
}
