package taskvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import taskvec.store.DbSettings;
import taskvec.store.Store;
import taskvec.store.repo.NewRun;
import taskvec.store.server.EmbeddedServer;

/** db, sql and runs against the embedded server of the shared test home. */
class StoreCommandsTest {

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @AfterAll
    static void stopServer() {
        new EmbeddedServer(DbSettings.home(System.getenv())).stop();
    }

    @Test
    void dbStartStatusStop() {
        Result start = run("db", "start");
        assertEquals(0, start.code(), start.err());
        assertTrue(start.out().contains("psql:     psql -h localhost -p "), start.out());
        String port = start.out().lines().filter(l -> l.startsWith("port:")).findFirst().orElseThrow().split("\\s+")[1];

        Result status = run("db", "status");
        assertEquals(0, status.code());
        assertTrue(status.out().contains("status:   running"), status.out());
        assertTrue(status.out().contains("port:     " + port + "\n"), status.out());
        assertTrue(status.out().contains("mode:     kept"), status.out());
        assertTrue(status.out().contains("data:     " + DbSettings.home(System.getenv()).resolve("db/data")), status.out());

        Result again = run("db", "start");
        assertTrue(again.out().startsWith("already running"), again.out());

        Result stop = run("db", "stop");
        assertEquals(0, stop.code());
        assertTrue(stop.out().startsWith("stopped"), stop.out());
        Result down = run("db", "status");
        assertEquals(ExitCodes.FAILED, down.code());
        assertTrue(down.out().contains("status:   not running"), down.out());
        assertTrue(down.out().contains("port:     " + port + " (remembered)"), down.out());
    }

    @Test
    void sqlPrintsAnAlignedTableOrCsv() {
        Result table = run("sql", "SELECT 1 AS id, 'hot' AS word UNION ALL SELECT 22, NULL ORDER BY 1");
        assertEquals(0, table.code(), table.err());
        assertEquals(String.join("\n", "id | word", "---+-----", "1  | hot", "22 |", "(2 rows)", ""), table.out());

        Result csv = run("sql", "--csv", "SELECT 'a,b' AS x, 'say \"hi\"' AS y, NULL AS z");
        assertEquals(String.join("\n", "x,y,z", "\"a,b\",\"say \"\"hi\"\"\",", ""), csv.out());
    }

    @Test
    void sqlReadsAFileAndQueriesTheViews(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("q.sql");
        Files.writeString(file, "SELECT count(*) AS n FROM run_digest WHERE run_id < 0;\n");
        Result r = run("sql", "--csv", "--file", file.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("n\n0\n", r.out());
    }

    @Test
    void badSqlIsExitCode2WithPostgresMessage() {
        Result r = run("sql", "SELEC 1");
        assertEquals(ExitCodes.INVALID_INPUT, r.code());
        assertTrue(r.err().startsWith("taskvec: sql: ERROR: syntax error at or near \"SELEC\""), r.err());
        Result missing = run("sql", "SELECT * FROM no_such_table");
        assertEquals(ExitCodes.INVALID_INPUT, missing.code());
        assertTrue(missing.err().contains("relation \"no_such_table\" does not exist"), missing.err());
        Result noFile = run("sql", "--file", "/nonexistent/q.sql");
        assertEquals(ExitCodes.INVALID_INPUT, noFile.code());
        assertTrue(noFile.err().startsWith("taskvec: /nonexistent/q.sql: cannot read the query file"), noFile.err());
    }

    @Test
    void unreachableDbIsExitCode2NamingTheUrl() {
        Result r = run("sql", "--db", "jdbc:postgresql://localhost:1/taskvec?user=postgres", "SELECT 1");
        assertEquals(ExitCodes.INVALID_INPUT, r.code());
        assertTrue(r.err().startsWith("taskvec: cannot connect to the database jdbc:postgresql://localhost:1/taskvec?user=postgres"),
                r.err());
    }

    @Test
    void runsListsEveryRunAsCsv() {
        long id;
        try (Store store = Store.open(DbSettings.embedded(DbSettings.home(System.getenv())))) {
            id = store.runs().create(new NewRun("listed, with a comma", "{}", "test", null, null, "cpu", "float32"));
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
}
