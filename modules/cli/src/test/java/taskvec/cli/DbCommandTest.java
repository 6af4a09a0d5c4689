package taskvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static taskvec.cli.CliRun.run;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import taskvec.cli.CliRun.Result;
import taskvec.store.DbSettings;
import taskvec.store.server.EmbeddedServer;

/** db start|status|stop on the embedded server of the shared test home. */
class DbCommandTest {

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
}
