package taskvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static taskvec.cli.CliRun.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.cli.CliRun.Result;

/**
 * A run killed with SIGKILL in the middle of capture, resumed and killed again in the middle of
 * evaluate, then resumed to the end, holds exactly what an uninterrupted run holds: the same
 * run_digest (vectors and predictions bit for bit) and the same row counts (no duplicates).
 */
class CrashResumeTest extends HeldServerTest {
    @TempDir static Path dir;

    private static long finished(long runId, String stage) {
        return SmallStudy.scalar(held, "SELECT count(*) FROM work_items WHERE run_id = ? AND stage = ? AND status = 'done'", runId, stage);
    }

    /** Waits until the run exists and has {@code n} done items of the stage, then kills the process (SIGKILL). */
    private static long killWhen(Process p, Path log, String name, String stage, int n) throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        long runId = -1;
        while (System.currentTimeMillis() < deadline) {
            if (!p.isAlive()) throw new AssertionError("the run ended before it could be killed:\n" + Files.readString(log));
            if (runId <= 0) runId = SmallStudy.scalar(held, "SELECT max(id) FROM runs WHERE name = ?", name);
            if (runId > 0 && finished(runId, stage) >= n) {
                p.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
                return runId;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + stage + ":\n" + Files.readString(log));
    }

    @Test
    void killedInCaptureAndInEvaluateThenResumedEqualsAnUninterruptedRun() throws Exception {
        Path study = SmallStudy.write(dir, "crash", "");
        Result reference = run("run", study.toString(), "--fresh", "--name", "crash-reference");
        assertEquals(0, reference.code(), reference.out() + reference.err());
        long refId = SmallStudy.runId(reference.out());

        String name = "crash-killed-" + System.nanoTime(); // unique: the test home keeps earlier runs
        Path log1 = dir.resolve("run.log");
        Process p = SmallStudy.start(log1, 400, "run", study.toString(), "--fresh", "--name", name);
        long runId = killWhen(p, log1, name, "capture", 1);
        long captured = finished(runId, "capture");
        long captureItems = SmallStudy.scalar(held, "SELECT count(*) FROM work_items WHERE run_id = ? AND stage = 'capture'", runId);
        System.out.println("killed run " + runId + " in capture with " + captured + " of " + captureItems + " items done");
        assertTrue(captured < captureItems, "killed in the middle of capture");
        assertEquals("running", SmallStudy.text(held, "SELECT status FROM runs WHERE id = ?", runId));

        Path log2 = dir.resolve("resume.log");
        Process r = SmallStudy.start(log2, 400, "resume", Long.toString(runId), "--fresh");
        killWhen(r, log2, name, "evaluate", 1);
        long evaluated = finished(runId, "evaluate");
        System.out.println("killed the resume of run " + runId + " in evaluate with " + evaluated + " items done");
        assertEquals(0, SmallStudy.scalar(held, "SELECT count(*) FROM work_items WHERE run_id = ? AND stage = 'report'", runId),
                "killed before report");

        Result done = run("resume", Long.toString(runId), "--fresh");
        assertEquals(0, done.code(), done.out() + done.err());
        assertEquals("done", SmallStudy.text(held, "SELECT status FROM runs WHERE id = ?", runId));
        for (String column : new String[] {"vectors_sha256", "predictions_sha256"}) {
            assertEquals(SmallStudy.text(held, "SELECT " + column + " FROM run_digest WHERE run_id = ?", refId),
                    SmallStudy.text(held, "SELECT " + column + " FROM run_digest WHERE run_id = ?", runId), column);
        }
        for (String table : new String[] {"prompts", "vectors", "predictions", "metrics"}) {
            assertEquals(SmallStudy.scalar(held, "SELECT count(*) FROM " + table + " WHERE run_id = ?", refId),
                    SmallStudy.scalar(held, "SELECT count(*) FROM " + table + " WHERE run_id = ?", runId), table + " rows");
        }
        assertEquals(0, SmallStudy.scalar(held, "SELECT count(*) FROM work_items WHERE run_id = ? AND status <> 'done'", runId));
    }
}
