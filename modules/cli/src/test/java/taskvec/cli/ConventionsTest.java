package taskvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static taskvec.cli.CliRun.run;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.cli.CliRun.Result;
import taskvec.cli.common.ExitCodes;
import taskvec.store.repo.NewRun;
import taskvec.store.repo.Status;
import taskvec.store.repo.Vector;

/** Shell completion, runs rm and gc: the conventions of the tools researchers already use. */
class ConventionsTest extends HeldServerTest {

    @Test
    void versionNamesTheProjectCommitAndEngine() {
        Result r = run("--version");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).matches("taskvec \\S+ \\(commit [0-9a-f]{40}(, uncommitted changes)?\\)"), r.out());
        assertEquals("DJL 0.36.0, PyTorch 2.7.1 (libtorch, cpu)", lines.get(1));
    }

    @Test
    void bashCompletionCompletesSubcommandsAndOptions(@TempDir Path dir) throws Exception {
        Result r = run("completion", "bash");
        assertEquals(0, r.code(), r.err());
        Path script = dir.resolve("taskvec-completion.bash");
        Files.writeString(script, r.out());
        // what bash offers after "taskvec ex" and "taskvec export --fo"
        // compopt only works while bash itself completes: a no-op stand-in here
        String probe = "source " + script + "\ncompopt() { :; }\n"
                + "COMP_WORDS=(taskvec ex); COMP_CWORD=1; COMP_LINE='taskvec ex'; COMP_POINT=${#COMP_LINE}; _complete_taskvec; echo \"${COMPREPLY[@]}\"\n"
                + "COMP_WORDS=(taskvec export --fo); COMP_CWORD=2; COMP_LINE='taskvec export --fo'; COMP_POINT=${#COMP_LINE};"
                + " _complete_taskvec; echo \"${COMPREPLY[@]}\"\n";
        Process p = new ProcessBuilder("bash", "-c", probe).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        List<String> lines = out.lines().toList();
        assertEquals(List.of("explain", "export"), List.of(lines.get(0).split(" ")), out);
        assertEquals("--format", lines.get(1), out);

        Result zsh = run("completion", "zsh");
        assertEquals(0, zsh.code(), zsh.err());
        assertTrue(zsh.out().contains("bashcompinit") && zsh.out().contains("complete -F _complete_taskvec"), zsh.out());
        Result bad = run("completion", "fish");
        assertEquals(ExitCodes.INVALID_INPUT, bad.code());
    }

    private static long runWithRows(String name, Status status) {
        long id = held.runs().create(new NewRun(name, "{}", "test", null, null, "cpu", "float32"));
        held.vectors().insertAll(List.of(Vector.of(id, "m", "t", "text-examples", 1, 0, Vector.Kind.MEAN, "", null,
                new float[] {1, 2}, List.of())));
        held.metrics().put(id, "m", "{}", 1.0);
        if (status != Status.RUNNING) held.runs().setStatus(id, status, status == Status.FAILED ? "broke" : null);
        return id;
    }

    private static long rows(String table, long run) {
        Result r = run("sql", "--csv", "--set", "run=" + run, "SELECT count(*) FROM " + table + " WHERE run_id = :run");
        return Long.parseLong(r.out().lines().toList().get(1));
    }

    @Test
    void runsRmDeletesARunAndItsRowsOnly() {
        long gone = runWithRows("rm-me", Status.DONE);
        long kept = runWithRows("keep-me", Status.DONE);
        Result r = run("runs", "rm", Long.toString(gone));
        assertEquals(0, r.code(), r.err());
        assertEquals("deleted run " + gone + " (rows: 1 runs, 0 stages, 0 work_items, 0 prompts, 1 vectors, 0 predictions, 1 metrics)\n",
                r.out());
        assertTrue(held.runs().find(gone).isEmpty());
        assertEquals(0, rows("vectors", gone));
        assertEquals(1, rows("vectors", kept));
        assertEquals(1, rows("metrics", kept));

        long running = runWithRows("rm-running", Status.RUNNING);
        Result refused = run("runs", "rm", Long.toString(running));
        assertEquals(ExitCodes.INVALID_INPUT, refused.code());
        assertTrue(refused.err().contains("run " + running + " is running"), refused.err());
        assertTrue(held.runs().find(running).isPresent());
        Result forced = run("runs", "rm", "-q", "--force", Long.toString(running));
        assertEquals(running + "\n", forced.out());
        assertEquals(ExitCodes.INVALID_INPUT, run("runs", "rm", "987654321").code());
    }

    @Test
    void gcDeletesFailedAndAbandonedRunsAndKeepsTheRest() throws SQLException {
        long failed = runWithRows("gc-failed", Status.FAILED);
        long done = runWithRows("gc-done", Status.DONE);
        long active = runWithRows("gc-active", Status.RUNNING);
        long abandoned = runWithRows("gc-abandoned", Status.RUNNING);
        Result backdate = run("sql", "--write", "--set", "run=" + abandoned,
                "UPDATE runs SET started_at = now() - interval '2 hours' WHERE id = :run");
        assertEquals(0, backdate.code(), backdate.err());

        Result dry = run("gc", "--dry-run", "-q");
        assertEquals(0, dry.code(), dry.err());
        List<String> listed = dry.out().lines().toList();
        assertTrue(listed.contains(Long.toString(failed)) && listed.contains(Long.toString(abandoned)), dry.out());
        assertFalse(listed.contains(Long.toString(done)) || listed.contains(Long.toString(active)), dry.out());
        assertTrue(held.runs().find(failed).isPresent());

        Result gc = run("gc");
        assertEquals(0, gc.code(), gc.err());
        assertTrue(gc.out().startsWith("deleted runs "), gc.out());
        assertTrue(held.runs().find(failed).isEmpty());
        assertTrue(held.runs().find(abandoned).isEmpty());
        assertEquals(0, rows("vectors", failed));
        assertTrue(held.runs().find(done).isPresent());
        assertTrue(held.runs().find(active).isPresent());
        assertEquals(1, rows("vectors", done));
        run("runs", "rm", "-q", "--force", Long.toString(active));
    }
}
