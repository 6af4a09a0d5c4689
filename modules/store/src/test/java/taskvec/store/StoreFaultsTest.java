package taskvec.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.store.repo.NewRun;
import taskvec.store.repo.StoreException;
import taskvec.store.server.EmbeddedServer;

/** An open store through the faults of its server: killed, stalled, stopped for good. */
class StoreFaultsTest {

    @TempDir
    Path home;

    @AfterEach
    void stopServer() {
        new EmbeddedServer(home).stop();
    }

    private static long addRun(Store store, String name) {
        return store.runs().create(new NewRun(name, "{}", "test", null, null, "cpu", "float32"));
    }

    @Test
    void aKilledEmbeddedServerIsStartedAgainAndTheStoreCarriesOn() throws Exception {
        try (Store store = Store.open(DbSettings.embedded(home))) {
            long runId = addRun(store, "before the kill");
            long postmaster = store.serverStatus().pid();
            kill("-KILL", postmaster);
            ProcessHandle.of(postmaster).ifPresent(p -> p.onExit().join());
            Thread.sleep(600); // longer than the pool's no-check window: the dead connection is found before use
            assertEquals("before the kill", store.runs().find(runId).orElseThrow().name());
            long restarted = new EmbeddedServer(home).status().pid();
            assertNotEquals(postmaster, restarted, "a new postmaster serves the same data");
            addRun(store, "after the kill");
        }
    }

    @Test
    void aStalledServerIsWaitedFor() throws Exception {
        try (Store store = Store.open(DbSettings.embedded(home))) {
            long runId = addRun(store, "stalled");
            long postmaster = store.serverStatus().pid();
            stopTree("-STOP", postmaster);
            long started = System.nanoTime();
            Thread resume = new Thread(() -> {
                try {
                    Thread.sleep(4000);
                    stopTree("-CONT", postmaster);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            resume.start();
            assertEquals("stalled", store.runs().find(runId).orElseThrow().name());
            resume.join();
            assertTrue(System.nanoTime() - started >= TimeUnit.SECONDS.toNanos(4), "answered during the stall");
        }
    }

    @Test
    void aServerStoppedForGoodEndsTheWaitWithAClearError() {
        try (Store store = Store.open(DbSettings.embedded(home).withPatience(Duration.ofSeconds(2)))) {
            addRun(store, "last");
            new EmbeddedServer(home).stop(); // on purpose: not started again
            StoreException e = assertThrows(StoreException.class, () -> store.runs().list());
            DatabaseUnavailableException away = DatabaseFaults.unavailable(e);
            assertNotNull(away, e.toString());
            assertTrue(away.getMessage().startsWith("the database jdbc:postgresql://localhost:"), away.getMessage());
            assertTrue(away.getMessage().contains("did not answer for 2 s"), away.getMessage());
        }
    }

    private static void kill(String signal, long pid) throws Exception {
        new ProcessBuilder("kill", signal, Long.toString(pid)).start().waitFor();
    }

    /** The postmaster and every backend: a stall of the whole server, as a frozen host would be. */
    static void stopTree(String signal, long postmaster) throws Exception {
        for (ProcessHandle child : ProcessHandle.of(postmaster).orElseThrow().descendants().toList()) {
            kill(signal, child.pid());
        }
        kill(signal, postmaster);
    }
}
