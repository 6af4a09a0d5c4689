package taskvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.store.DbSettings;
import taskvec.store.Store;

/**
 * A run across three "hosts" made of network namespaces joined by veth pairs: PostgreSQL (the
 * embedded server, listening for other hosts) and the run's coordinator in one, a worker in each
 * of two others. Mid-run one worker's link goes down for longer than the lease while it holds an
 * item, and comes back; later the server is killed and started again. The run ends done with the
 * run_digest of an uninterrupted run and no duplicate rows. Needs root and ip(8); skipped, saying
 * so, where namespaces cannot be made.
 */
class HostsNamespaceTest {
    private static final String TAG = UUID.randomUUID().toString().substring(0, 6);
    private static final String DB_NS = "tvdb" + TAG;
    private static final String[] WORKER_NS = {"tvwa" + TAG, "tvwb" + TAG};
    private static final long LEASE_MS = 4000;
    private static final long PARTITION_MS = 12_000;
    /** A pause before each item: the reference run's, and the shared run's, long enough that the shared run is still
     * going when the partition ends and the server is killed (at 1.5 s a quiet machine finished it during the partition). */
    private static final long ITEM_DELAY_MS = 1500;
    private static final long SHARED_RUN_ITEM_DELAY_MS = 5000;

    @TempDir static Path home;
    @TempDir static Path dir;
    static final List<Process> children = new ArrayList<>();
    static boolean made;
    /** The first three octets of the test's link to the database namespace. */
    static String rootNet;

    @BeforeAll
    static void network() throws Exception {
        String why = makeNetwork();
        Assumptions.assumeTrue(why == null, "SKIPPED here: cannot make network namespaces (" + why + ")");
        made = true;
    }

    /**
     * db <-> each worker over its own veth pair (10.77.N.0/24, inside the namespaces), and the test
     * (root namespace) <-> db over a subnet no other interface of this machine uses, so two runs of
     * this test (two builds at once) do not route into each other's server.
     */
    private static String makeNetwork() throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) return "not root";
        String addresses = sh("ip", "-o", "addr", "show").output();
        do {
            rootNet = "10.78." + (10 + ThreadLocalRandom.current().nextInt(240)) + ".";
        } while (addresses.contains(rootNet));
        if (sh("ip", "netns", "add", DB_NS).code() != 0) return "ip netns add failed";
        sh("ip", "-n", DB_NS, "link", "set", "lo", "up");
        for (int i = 0; i < WORKER_NS.length; i++) {
            String ns = WORKER_NS[i];
            check(sh("ip", "netns", "add", ns));
            check(sh("ip", "-n", ns, "link", "set", "lo", "up"));
            check(sh("ip", "link", "add", "d" + i + TAG, "netns", DB_NS, "type", "veth", "peer", "w" + i + TAG, "netns", ns));
            check(sh("ip", "-n", DB_NS, "addr", "add", "10.77." + (i + 1) + ".1/24", "dev", "d" + i + TAG));
            check(sh("ip", "-n", ns, "addr", "add", "10.77." + (i + 1) + ".2/24", "dev", "w" + i + TAG));
            check(sh("ip", "-n", DB_NS, "link", "set", "d" + i + TAG, "up"));
            check(sh("ip", "-n", ns, "link", "set", "w" + i + TAG, "up"));
        }
        check(sh("ip", "link", "add", "t" + TAG, "type", "veth", "peer", "u" + TAG, "netns", DB_NS));
        check(sh("ip", "addr", "add", rootNet + "1/24", "dev", "t" + TAG));
        check(sh("ip", "-n", DB_NS, "addr", "add", rootNet + "2/24", "dev", "u" + TAG));
        check(sh("ip", "link", "set", "t" + TAG, "up"));
        check(sh("ip", "-n", DB_NS, "link", "set", "u" + TAG, "up"));
        return null;
    }

    @AfterAll
    static void cleanUp() throws Exception {
        for (Process p : children) p.destroyForcibly();
        if (made) taskvec(DB_NS, home, null, "db", "stop", "--force").waitFor(120, TimeUnit.SECONDS);
        sh("ip", "link", "del", "t" + TAG);
        sh("ip", "netns", "del", DB_NS);
        for (String ns : WORKER_NS) sh("ip", "netns", "del", ns);
    }

    @Test
    void aRunSurvivesAPartitionLongerThanTheLeaseAndAServerRestart() throws Exception {
        Path study = SmallStudy.write(dir, "hosts", "");
        Process start = taskvec(DB_NS, home, dir.resolve("db.log"), "db", "start", "--listen", "0.0.0.0");
        assertTrue(start.waitFor(180, TimeUnit.SECONDS) && start.exitValue() == 0, Files.readString(dir.resolve("db.log")));
        String dbLog = Files.readString(dir.resolve("db.log"));
        int port = Integer.parseInt(dbLog.lines().filter(l -> l.startsWith("port:")).findFirst().orElseThrow().split("\\s+")[1]);
        String password = Files.readString(home.resolve("db/password")).strip();
        Path secret = dir.resolve("password");
        Files.writeString(secret, password);

        try (Store watcher = Store.open(DbSettings.external(dir, "jdbc:postgresql://" + rootNet + "2:" + port + "/taskvec?user=postgres&password="
                + password))) {
            Process reference = taskvec(DB_NS, home, dir.resolve("reference.log"), "run", study.toString(), "--fresh", "--name", "hosts-reference");
            assertTrue(reference.waitFor(300, TimeUnit.SECONDS) && reference.exitValue() == 0, Files.readString(dir.resolve("reference.log")));
            long refId = SmallStudy.scalar(watcher, "SELECT max(id) FROM runs WHERE name = 'hosts-reference'");

            List<Process> workers = new ArrayList<>();
            for (int i = 0; i < WORKER_NS.length; i++) {
                String url = "jdbc:postgresql://10.77." + (i + 1) + ".1:" + port + "/taskvec?user=postgres";
                workers.add(taskvec(WORKER_NS[i], dir.resolve("worker-home-" + i), dir.resolve("worker-" + i + ".log"),
                        Map.of("TASKVEC_DB", url, "TASKVEC_DB_PASSWORD_FILE", secret.toString()), SHARED_RUN_ITEM_DELAY_MS,
                        "worker", "--name", "host-" + i, "--idle-exit", "30"));
            }
            Thread.sleep(8000); // the workers' JVMs start and connect
            Process run = taskvec(DB_NS, home, dir.resolve("run.log"), Map.of(), SHARED_RUN_ITEM_DELAY_MS,
                    "run", study.toString(), "--fresh", "--name", "hosts-run");
            long runId = waitFor(watcher, "SELECT coalesce(max(id), -1) FROM runs WHERE name = 'hosts-run'", 1, run);

            // worker 0 holds an item: its link goes down for longer than the lease, then comes back. Waited for after
            // its first item is done: the first claim of a run is given back at once while the worker checks the run
            waitFor(watcher, "SELECT count(*) FROM work_items WHERE run_id = " + runId + " AND status = 'done' AND claimed_by = 'host-0'", 1, run);
            waitFor(watcher, "SELECT count(*) FROM work_items WHERE run_id = " + runId + " AND status = 'running' AND claimed_by = 'host-0'", 1, run);
            check(sh("ip", "-n", WORKER_NS[0], "link", "set", "w0" + TAG, "down"));
            Thread.sleep(PARTITION_MS);
            check(sh("ip", "-n", WORKER_NS[0], "link", "set", "w0" + TAG, "up"));
            long afterPartition = SmallStudy.scalar(watcher, "SELECT count(*) FROM work_items WHERE run_id = ? AND status = 'done'", runId);

            // then the server is killed; the run's coordinator starts it again on the same port and addresses
            long planned = SmallStudy.scalar(watcher, "SELECT count(*) FROM work_items WHERE run_id = ?", runId);
            assertTrue(run.isAlive() && afterPartition < planned, "the run ended before the server could be killed mid-run ("
                    + afterPartition + " of " + planned + " items done): the items are too fast for this test");
            long postmaster = Long.parseLong(Files.readAllLines(home.resolve("db/data/postmaster.pid")).get(0).trim());
            new ProcessBuilder("kill", "-KILL", Long.toString(postmaster)).start().waitFor();
            System.out.println("partitioned host-0 for " + PARTITION_MS + " ms (lease " + LEASE_MS + " ms); " + afterPartition
                    + " items done; then killed the server (pid " + postmaster + ")");

            assertTrue(run.waitFor(300, TimeUnit.SECONDS), Files.readString(dir.resolve("run.log")));
            String runLog = Files.readString(dir.resolve("run.log"));
            assertEquals(0, run.exitValue(), runLog);
            for (Process w : workers) assertTrue(w.waitFor(120, TimeUnit.SECONDS), "a worker did not leave");
            for (int i = 0; i < WORKER_NS.length; i++) {
                String log = Files.readString(dir.resolve("worker-" + i + ".log"));
                System.out.println("worker " + i + ": " + log.lines().filter(l -> l.contains("items done") || l.contains("refused")
                        || l.contains("not recorded") || l.contains("does not answer")).toList());
                assertTrue(!log.contains("\tat "), "a stack trace in worker " + i + ":\n" + log);
            }
            for (String column : new String[] {"vectors_sha256", "predictions_sha256"}) {
                assertEquals(SmallStudy.text(watcher, "SELECT " + column + " FROM run_digest WHERE run_id = ?", refId),
                        SmallStudy.text(watcher, "SELECT " + column + " FROM run_digest WHERE run_id = ?", runId), column);
            }
            // every result row is keyed (UNIQUE per run): a row written twice would show as more rows than the reference's
            long duplicates = 0;
            for (String table : new String[] {"prompts", "vectors", "predictions", "metrics"}) {
                long expected = SmallStudy.scalar(watcher, "SELECT count(*) FROM " + table + " WHERE run_id = ?", refId);
                long got = SmallStudy.scalar(watcher, "SELECT count(*) FROM " + table + " WHERE run_id = ?", runId);
                assertEquals(expected, got, table + " rows");
                duplicates += got - expected;
            }
            assertEquals(0, SmallStudy.scalar(watcher, "SELECT count(*) FROM work_items WHERE run_id = ? AND status <> 'done'", runId),
                    "items not done");
            String partitioned = Files.readString(dir.resolve("worker-0.log"));
            assertTrue(partitioned.contains("not recorded as done") || partitioned.contains("lease refused"),
                    "the cut-off worker's late result was refused by its claim token, and it said so:\n" + partitioned);
            long items = SmallStudy.scalar(watcher, "SELECT count(*) FROM work_items WHERE run_id = ?", runId);
            System.out.println("run " + runId + ": " + items + " items, by host-0 "
                    + SmallStudy.scalar(watcher, "SELECT count(*) FROM work_items WHERE run_id = ? AND claimed_by = 'host-0'", runId)
                    + ", host-1 " + SmallStudy.scalar(watcher, "SELECT count(*) FROM work_items WHERE run_id = ? AND claimed_by = 'host-1'", runId)
                    + "; duplicate rows " + duplicates + "; vectors_sha256 " + SmallStudy.text(watcher,
                    "SELECT vectors_sha256 FROM run_digest WHERE run_id = ?", runId) + ", predictions_sha256 " + SmallStudy.text(watcher,
                    "SELECT predictions_sha256 FROM run_digest WHERE run_id = ?", runId) + ", both equal to run " + refId + "'s");
        }
    }

    private static long waitFor(Store watcher, String sql, long atLeast, Process run) throws Exception {
        long deadline = System.currentTimeMillis() + 240_000;
        while (System.currentTimeMillis() < deadline) {
            long n = SmallStudy.scalar(watcher, sql);
            if (n >= atLeast) return n;
            if (!run.isAlive()) throw new AssertionError("the run ended first:\n" + Files.readString(dir.resolve("run.log")));
            Thread.sleep(50);
        }
        throw new AssertionError("timed out: " + sql);
    }

    private static Process taskvec(String ns, Path taskvecHome, Path log, String... args) throws IOException {
        return taskvec(ns, taskvecHome, log, Map.of(), ITEM_DELAY_MS, args);
    }

    /** The CLI in a child JVM inside a namespace, with a short lease and slow items so faults land mid-item. */
    private static Process taskvec(String ns, Path taskvecHome, Path log, Map<String, String> env, long itemDelayMs,
                                   String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-Dai.djl.offline=true",
                "-Dtaskvec.root=" + SmallStudy.ROOT, "-Dtaskvec.itemDelayMs=" + itemDelayMs, "-Dtaskvec.leaseMs=" + LEASE_MS,
                "-cp", System.getProperty("java.class.path"), "taskvec.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (log != null) pb.redirectOutput(log.toFile());
        pb.environment().put("TASKVEC_HOME", taskvecHome.toString());
        pb.environment().remove("TASKVEC_DB");
        pb.environment().putAll(env);
        Process p = pb.start();
        children.add(p);
        return p;
    }

    record Result(int code, String output) {}

    private static Result sh(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return new Result(p.exitValue(), out);
    }

    private static void check(Result r) {
        if (r.code() != 0) throw new IllegalStateException("ip: " + r.output());
    }
}
