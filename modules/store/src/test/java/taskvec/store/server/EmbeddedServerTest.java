package taskvec.store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.store.DbSettings;
import taskvec.store.Store;
import taskvec.store.repo.NewRun;

/** The embedded server's life on its own home: restarts, sharing, keeping, and killed processes. */
class EmbeddedServerTest {

    @TempDir
    static Path home;

    @AfterAll
    static void stopServer() {
        new EmbeddedServer(home).stop();
    }

    private static long addRun(Store store, String name) {
        return store.runs().create(new NewRun(name, "{}", "test", null, null, "cpu", "float32"));
    }

    @Test
    void dataSurvivesARestartOnTheSameFolderAndThePortIsRemembered() {
        DbSettings settings = DbSettings.embedded(home);
        long runId;
        int port;
        try (Store store = Store.open(settings)) {
            runId = addRun(store, "survives");
            port = store.serverStatus().port();
            assertTrue(Files.exists(home.resolve("db/data/PG_VERSION")));
        }
        ServerStatus stopped = new EmbeddedServer(home).status();
        assertFalse(stopped.running(), "the last store out stops the server");
        assertEquals(port, stopped.port(), "remembered port");
        try (Store store = Store.open(settings)) {
            assertEquals("survives", store.runs().find(runId).orElseThrow().name());
            assertEquals(port, store.serverStatus().port());
        }
    }

    @Test
    void aServerKeptByDbStartOutlivesStoresUntilStopped() {
        EmbeddedServer server = new EmbeddedServer(home);
        ServerStatus started = server.ensureRunning(true);
        assertTrue(started.running());
        assertTrue(started.kept());
        try (Store a = Store.open(DbSettings.embedded(home)); Store b = Store.open(DbSettings.embedded(home))) {
            assertEquals(started.pid(), a.serverStatus().pid());
            assertEquals(started.pid(), b.serverStatus().pid());
            assertTrue(server.status().clients() >= 2, "two anchors connected");
        }
        ServerStatus after = server.status();
        assertTrue(after.running(), "kept server stopped by a store");
        assertEquals(started.pid(), after.pid());
        assertTrue(server.stop());
        assertFalse(server.status().running());
        assertFalse(server.kept());
        assertFalse(server.stop(), "nothing left to stop");
    }

    @Test
    void sharedServerStaysUpWhileAnotherStoreUsesIt() {
        try (Store a = Store.open(DbSettings.embedded(home))) {
            Store b = Store.open(DbSettings.embedded(home));
            b.close();
            assertTrue(new EmbeddedServer(home).status().running(), "closing one store stopped the other's server");
            addRun(a, "still up");
        }
        assertFalse(new EmbeddedServer(home).status().running());
    }

    @Test
    void aServerLeftByAKilledProcessIsReusedAndAStalePidFileIsRemoved() throws Exception {
        // 1. SIGKILL the JVM: the postmaster lives on, and the next store reuses it
        long[] held = startHolderAndKillIt();
        long postmaster = held[1];
        assertTrue(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false), "postmaster died with its JVM");
        ServerStatus alive = new EmbeddedServer(home).status();
        assertTrue(alive.running());
        assertEquals(postmaster, alive.pid());
        long runId;
        try (Store store = Store.open(DbSettings.embedded(home))) {
            assertEquals(postmaster, store.serverStatus().pid(), "a second server was started");
            runId = addRun(store, "after kill");
        }
        assertFalse(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false), "the last store out stops it");

        // 2. SIGKILL the JVM and then the postmaster: postmaster.pid stays behind with a dead pid
        held = startHolderAndKillIt();
        ProcessHandle pm = ProcessHandle.of(held[1]).orElseThrow();
        new ProcessBuilder("kill", "-9", Long.toString(held[1])).start().waitFor();
        pm.onExit().get(30, TimeUnit.SECONDS);
        Thread.sleep(500); // the postmaster's children notice its death and leave
        assertTrue(Files.exists(home.resolve("db/data/postmaster.pid")));
        ServerStatus stale = new EmbeddedServer(home).status();
        assertFalse(stale.running());
        assertTrue(stale.note().contains("stale"), stale.note());
        assertFalse(Files.exists(home.resolve("db/data/postmaster.pid")));
        try (Store store = Store.open(DbSettings.embedded(home))) {
            assertNotEquals(held[1], store.serverStatus().pid());
            assertEquals("after kill", store.runs().find(runId).orElseThrow().name(), "data lost after a crash");
        }
    }

    /** Starts HoldStoreMain on the home, waits for READY, kills it with SIGKILL; returns {port, postmaster pid}. */
    private static long[] startHolderAndKillIt() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                HoldStoreMain.class.getName(), home.toString())
                .redirectErrorStream(true).start();
        long[] result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
            StringBuilder seen = new StringBuilder();
            String line;
            while ((line = out.readLine()) != null) {
                seen.append(line).append('\n');
                if (line.startsWith("READY ")) {
                    String[] f = line.split(" ");
                    result = new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])};
                    break;
                }
            }
            if (result == null) throw new AssertionError("child did not get ready:\n" + seen);
            child.destroyForcibly(); // SIGKILL
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertFalse(child.isAlive());
        return result;
    }
}
