package taskvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.store.DbSettings;
import taskvec.store.Store;
import taskvec.store.repo.Status;
import taskvec.store.server.EmbeddedServer;
import taskvec.workflow.ProgressListener;
import taskvec.workflow.RunOutcome;
import taskvec.workflow.StudyWorkflow;
import taskvec.workflow.WorkflowOptions;

/**
 * A run through the faults of its database and of its workers, on a home of its own: the
 * server killed mid-run (and started again by the run), the whole server stalled for 30 s, a
 * worker stopped with SIGTERM mid-item. Each run ends done, with no stack trace, holding what an
 * uninterrupted run holds (the same run_digest, no duplicate rows).
 */
class RunFaultsTest {
    @TempDir static Path home;
    @TempDir static Path dir;
    static Store watcher;
    static Path study;
    static long reference;
    static final List<Process> children = new ArrayList<>();

    @BeforeAll
    static void referenceRun() throws Exception {
        // started by a process of its own, as `taskvec db start` does: the process that starts the server holds its
        // data folder's start lock while it lives, and the run that restarts it after the kill must be able to take it
        Process start = SmallStudy.start(dir.resolve("db.log"), 0, home, "db", "start");
        assertTrue(start.waitFor(180, TimeUnit.SECONDS) && start.exitValue() == 0, Files.readString(dir.resolve("db.log")));
        watcher = Store.open(DbSettings.embedded(home));
        study = SmallStudy.write(dir, "faults", "");
        WorkflowOptions options = WorkflowOptions.defaults().withFresh(true).withWorkerName("reference");
        try (StudyWorkflow wf = new StudyWorkflow(watcher, options)) {
            reference = wf.create(study, null, "faults-reference", dir);
            assertEquals(Status.DONE, wf.run(reference).status());
        }
    }

    @AfterAll
    static void stop() {
        watcher.close();
        new EmbeddedServer(home).stop();
    }

    /** A test that fails leaves no run or worker behind to take CPU or items from the next tests. */
    @AfterEach
    void stopChildren() {
        for (Process p : children) p.destroyForcibly();
        children.clear();
    }

    private static Process start(Path log, long itemDelayMs, String... args) throws Exception {
        Process p = SmallStudy.start(log, itemDelayMs, home, args);
        children.add(p);
        return p;
    }

    private static long doneItems(long runId) {
        return SmallStudy.scalar(watcher, "SELECT count(*) FROM work_items WHERE run_id = ? AND status = 'done'", runId);
    }

    /** Starts `taskvec run` in a child JVM on this home and waits until {@code n} of its items are done. */
    private static long startRunAndWaitFor(Process p, Path log, String name, int n) throws Exception {
        long deadline = System.currentTimeMillis() + 240_000;
        while (System.currentTimeMillis() < deadline) {
            if (!p.isAlive()) throw new AssertionError("the run ended too soon:\n" + Files.readString(log));
            long runId = SmallStudy.scalar(watcher, "SELECT coalesce(max(id), -1) FROM runs WHERE name = ?", name);
            if (runId > 0 && doneItems(runId) >= n) return runId;
            Thread.sleep(100);
        }
        throw new AssertionError("the run did not get going:\n" + Files.readString(log));
    }

    private static void assertFinishedLikeTheReference(Process p, Path log, long runId) throws Exception {
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the run did not end:\n" + Files.readString(log));
        String output = Files.readString(log);
        assertEquals(0, p.exitValue(), output);
        assertFalse(output.contains("\tat "), "a stack trace:\n" + output);
        assertEquals("done", SmallStudy.text(watcher, "SELECT status FROM runs WHERE id = ?", runId));
        for (String column : new String[] {"vectors_sha256", "predictions_sha256"}) {
            assertEquals(SmallStudy.text(watcher, "SELECT " + column + " FROM run_digest WHERE run_id = ?", reference),
                    SmallStudy.text(watcher, "SELECT " + column + " FROM run_digest WHERE run_id = ?", runId), column);
        }
        for (String table : new String[] {"prompts", "vectors", "predictions", "metrics"}) {
            assertEquals(SmallStudy.scalar(watcher, "SELECT count(*) FROM " + table + " WHERE run_id = ?", reference),
                    SmallStudy.scalar(watcher, "SELECT count(*) FROM " + table + " WHERE run_id = ?", runId), table + " rows");
        }
    }

    @Test
    void theServerKilledMidRunIsStartedAgainAndTheRunFinishes() throws Exception {
        Path log = dir.resolve("killed.log");
        Process p = start(log, 300, "run", study.toString(), "--fresh", "--name", "server-killed");
        long runId = startRunAndWaitFor(p, log, "server-killed", 3);
        long postmaster = new EmbeddedServer(home).status().pid();
        long killedAt = doneItems(runId); // asked before the kill: this test's own pooled connections break with the server
        new ProcessBuilder("kill", "-KILL", Long.toString(postmaster)).start().waitFor();
        System.out.println("killed the server (pid " + postmaster + ") with " + killedAt + " items of run " + runId + " done");
        assertFinishedLikeTheReference(p, log, runId);
        assertTrue(Files.readString(log).contains("starting it again") || new EmbeddedServer(home).status().pid() != postmaster);
    }

    @Test
    void aThirtySecondStallOfTheServerIsWaitedOut() throws Exception {
        Path log = dir.resolve("stalled.log");
        Process p = start(log, 300, "run", study.toString(), "--fresh", "--name", "server-stalled");
        long runId = startRunAndWaitFor(p, log, "server-stalled", 3);
        long postmaster = new EmbeddedServer(home).status().pid();
        long stalledAt = doneItems(runId);
        signalServer("-STOP", postmaster);
        Thread.sleep(30_000);
        signalServer("-CONT", postmaster);
        System.out.println("stalled the server for 30 s with " + stalledAt + " items of run " + runId + " done");
        assertFinishedLikeTheReference(p, log, runId);
    }

    @Test
    void aWorkerStoppedWithSigtermMidItemGivesItBackAndTheRunDoesNotWaitOutTheLease() throws Exception {
        Path log = dir.resolve("worker.log");
        Process worker = start(log, 4000, "worker", "--name", "sigterm-worker", "--idle-exit", "60");
        Duration lease = Duration.ofMinutes(2);
        WorkflowOptions options = new WorkflowOptions(true, "faults-coordinator", lease, 3, Duration.ofMillis(300),
                ProgressListener.NONE);
        try (StudyWorkflow wf = new StudyWorkflow(watcher, options)) {
            Thread.sleep(8000); // the worker's JVM starts and connects
            long runId = wf.create(study, null, "worker-stopped", dir);
            CompletableFuture<RunOutcome> run = CompletableFuture.supplyAsync(() -> wf.run(runId));
            long deadline = System.currentTimeMillis() + 120_000;
            while (SmallStudy.scalar(watcher, "SELECT count(*) FROM work_items WHERE run_id = ? AND status = 'running'"
                    + " AND claimed_by = 'sigterm-worker'", runId) == 0) {
                assertTrue(System.currentTimeMillis() < deadline, "the worker never claimed an item:\n" + Files.readString(log));
                Thread.sleep(50);
            }
            long stoppedAt = System.nanoTime();
            worker.destroy(); // SIGTERM
            assertTrue(worker.waitFor(60, TimeUnit.SECONDS));
            RunOutcome outcome = run.get(lease.toSeconds(), TimeUnit.SECONDS);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stoppedAt);
            System.out.println("worker stopped mid-item; the run finished " + seconds + " s later (lease " + lease.toSeconds() + " s)");
            assertEquals(Status.DONE, outcome.status(), String.valueOf(outcome.failed()));
            assertTrue(seconds < lease.toSeconds(), "the run waited out the lease");
            String workerLog = Files.readString(log);
            assertTrue(workerLog.contains("item(s) of sigterm-worker given back to the run"), workerLog);
            assertFalse(workerLog.contains("\tat "), workerLog);
            assertEquals(0, SmallStudy.scalar(watcher, "SELECT count(*) FROM work_items WHERE run_id = ? AND status <> 'done'", runId));
        }
    }

    /** The postmaster and every backend: the whole server stalls, as on a frozen host. */
    private static void signalServer(String signal, long postmaster) throws Exception {
        for (ProcessHandle child : ProcessHandle.of(postmaster).orElseThrow().descendants().toList()) {
            new ProcessBuilder("kill", signal, Long.toString(child.pid())).start().waitFor();
        }
        new ProcessBuilder("kill", signal, Long.toString(postmaster)).start().waitFor();
    }
}
