package taskvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.store.repo.Status;
import taskvec.workflow.ProgressListener;
import taskvec.workflow.RunOutcome;
import taskvec.workflow.StudyWorkflow;
import taskvec.workflow.WorkflowOptions;

/** Two worker processes and the run's own coordinator share one run: every item is done once, by one of them. */
class WorkersTest extends HeldServerTest {
    @TempDir static Path dir;

    @Test
    void twoWorkersSplitTheWorkWithNoItemDoneTwice() throws Exception {
        Path study = SmallStudy.write(dir, "workers", "");
        // the idle time covers the coordinator's input check and planning on a loaded machine: a worker that gives up
        // before the run exists takes nothing
        Process a = SmallStudy.start(dir.resolve("a.log"), 300, "worker", "--name", "worker-a", "--idle-exit", "30");
        Process b = SmallStudy.start(dir.resolve("b.log"), 300, "worker", "--name", "worker-b", "--idle-exit", "30");
        WorkflowOptions options = new WorkflowOptions(true, "coordinator", Duration.ofMinutes(2), 3, Duration.ofMillis(300), ProgressListener.NONE);
        RunOutcome outcome;
        try (StudyWorkflow wf = new StudyWorkflow(held, options)) {
            Thread.sleep(8000); // the workers start their JVMs and connect
            long runId = wf.create(study, null, "workers", dir);
            outcome = wf.run(runId);
        }
        assertTrue(a.waitFor(120, TimeUnit.SECONDS) && b.waitFor(120, TimeUnit.SECONDS), "workers exit when idle");
        System.out.println(Files.readString(dir.resolve("a.log")).lines().filter(l -> l.contains("items done")).toList()
                + " " + Files.readString(dir.resolve("b.log")).lines().filter(l -> l.contains("items done")).toList());
        long runId = outcome.runId();
        assertEquals(Status.DONE, outcome.status(), String.valueOf(outcome.failed()));
        long items = SmallStudy.scalar(held, "SELECT count(*) FROM work_items WHERE run_id = ?", runId);
        assertEquals(items, SmallStudy.scalar(held, "SELECT count(*) FROM work_items WHERE run_id = ? AND status = 'done' AND attempts = 1", runId),
                "every item done once, on its first claim");
        long byA = SmallStudy.scalar(held, "SELECT count(*) FROM work_items WHERE run_id = ? AND claimed_by = 'worker-a'", runId);
        long byB = SmallStudy.scalar(held, "SELECT count(*) FROM work_items WHERE run_id = ? AND claimed_by = 'worker-b'", runId);
        long byC = SmallStudy.scalar(held, "SELECT count(*) FROM work_items WHERE run_id = ? AND claimed_by = 'coordinator'", runId);
        System.out.println("items " + items + ": worker-a " + byA + ", worker-b " + byB + ", coordinator " + byC);
        assertTrue(byA > 0 && byB > 0, "both workers took items; their logs:\n" + Files.readString(dir.resolve("a.log"))
                + Files.readString(dir.resolve("b.log")));
        assertEquals(items, byA + byB + byC);
        // outputs as many as one process alone writes: no item counted twice
        long reference = SmallStudy.scalar(held, "SELECT max(id) FROM runs WHERE name = 'cli-first' OR name = 'crash-reference'");
        if (reference > 0) {
            for (String table : new String[] {"vectors", "predictions"}) {
                assertEquals(SmallStudy.scalar(held, "SELECT count(*) FROM " + table + " WHERE run_id = ?", reference),
                        SmallStudy.scalar(held, "SELECT count(*) FROM " + table + " WHERE run_id = ?", runId), table);
            }
        }
    }
}
