package taskvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static taskvec.cli.CliRun.run;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.cli.CliRun.Result;
import taskvec.cli.common.ExitCodes;

/** taskvec sql against the embedded server of the shared test home. */
class SqlCommandTest extends HeldServerTest {

    /** One store held open for the class keeps the server up between commands (the last one out stops it). */

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
}
