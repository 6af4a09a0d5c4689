package taskvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static taskvec.cli.CliRun.run;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import taskvec.cli.CliRun.Result;
import taskvec.cli.common.ExitCodes;
import taskvec.store.DbSettings;
import taskvec.store.Store;
import taskvec.store.repo.NewRun;
import taskvec.store.repo.Status;
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
        assertTrue(start.out().contains("psql -h localhost -p "), start.out());
        assertTrue(start.out().contains("password: " + DbSettings.home(System.getenv()).resolve("db/password")), start.out());
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
    void dbStopRefusesWhileARunIsRunningAndAClientIsConnectedUnlessForced() {
        assertEquals(0, run("db", "start").code());
        try (Store client = Store.open(DbSettings.embedded(DbSettings.home(System.getenv())))) {
            long runId = client.runs().create(new NewRun("busy", "{}", "test", null, null, "cpu", "float32"));
            Result refused = run("db", "stop");
            assertEquals(ExitCodes.FAILED, refused.code(), refused.out());
            assertTrue(refused.err().contains("not stopping the embedded PostgreSQL"), refused.err());
            assertTrue(refused.err().contains(runId + " (busy)"), refused.err());
            assertTrue(refused.err().contains("Use --force"), refused.err());
            assertEquals(0, run("db", "status").code(), "still running");
            client.runs().setStatus(runId, Status.FAILED, "test over");
            Result forced = run("db", "stop", "--force");
            assertEquals(0, forced.code(), forced.err());
            assertTrue(forced.out().startsWith("stopped"), forced.out());
        }
    }

    @Test
    void aListenAddressThatIsNoAddressIsBadInput() {
        Result r = run("db", "start", "--listen", "*");
        assertEquals(ExitCodes.INVALID_INPUT, r.code());
        assertTrue(r.err().contains("--listen *: not an address of this host (use 0.0.0.0 for every IPv4 address)"), r.err());
    }
}
