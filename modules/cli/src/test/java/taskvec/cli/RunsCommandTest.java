package taskvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static taskvec.cli.CliRun.run;

import java.util.List;
import org.junit.jupiter.api.Test;
import taskvec.cli.CliRun.Result;
import taskvec.store.repo.NewRun;

/** taskvec runs against the embedded server of the shared test home. */
class RunsCommandTest extends HeldServerTest {

    /** One store held open for the class keeps the server up between commands (the last one out stops it). */

    @Test
    void runsListsEveryRunAsCsv() {
        long id = held.runs().create(new NewRun("listed, with a comma", "{}", "test", null, null, "cpu", "float32"));
        Result r = run("runs", "--csv");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("run_id,name,status,started_at,finished_at", lines.get(0));
        String mine = lines.stream().filter(l -> l.startsWith(id + ",")).findFirst().orElseThrow();
        assertTrue(mine.matches(id + ",\"listed, with a comma\",running,\\d{4}-\\d\\d-\\d\\dT[^,]+,"), mine);
        Result aligned = run("runs");
        assertTrue(aligned.out().startsWith("run_id | name"), aligned.out());
    }
}
