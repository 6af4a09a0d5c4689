package taskvec.store.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL 17 server of one taskvec home. Its data lives in {@code <home>/db/data}
 * and survives restarts; its port is remembered in {@code <home>/db/server.properties} (and
 * reused while free); its log goes to {@code <home>/db/server.log}.
 *
 * <p>Several processes may share one home: every decision to start, adopt or stop the server is
 * taken under a file lock ({@code <home>/db/server.lock}). The server runs detached from the JVM
 * that started it (zonky's shutdown hook is off), so a killed process leaves it running; the next
 * process finds it through {@code postmaster.pid}, checks that the pid is a live postgres that
 * answers on its port with this data folder, and reuses it. A pid file of a dead server is removed.
 */
public final class EmbeddedServer {

    public static final String DATABASE = "taskvec";
    public static final String USER = "postgres";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServer.class);
    /** One lock per JVM in front of the file lock: a JVM cannot take the same file lock twice. */
    private static final ReentrantLock JVM_LOCK = new ReentrantLock();
    /** Servers this JVM started through zonky, by data folder (zonky holds a lock file until closed). */
    private static final Map<Path, EmbeddedPostgres> STARTED_HERE = new ConcurrentHashMap<>();
    private static final Duration ANSWER_WAIT = Duration.ofSeconds(20);
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);

    private final Path serverDir;
    private final Path dataDir;
    private final Path stateFile;
    private final Path lockFile;
    private final Path logFile;

    public EmbeddedServer(Path home) {
        this.serverDir = home.toAbsolutePath().normalize().resolve("db");
        this.dataDir = serverDir.resolve("data");
        this.stateFile = serverDir.resolve("server.properties");
        this.lockFile = serverDir.resolve("server.lock");
        this.logFile = serverDir.resolve("server.log");
    }

    public Path dataDirectory() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    public static String jdbcUrl(int port) {
        return "jdbc:postgresql://localhost:" + port + "/" + DATABASE + "?user=" + USER;
    }

    public static String psqlCommand(int port) {
        return "psql -h localhost -p " + port + " -U " + USER + " " + DATABASE;
    }

    /** Runs the action holding this home's server lock (shared by threads and processes). */
    public <T> T locked(Callable<T> action) {
        JVM_LOCK.lock();
        try {
            Files.createDirectories(serverDir);
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                return action.call();
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(serverDir + ": " + e.getMessage(), e);
        } finally {
            JVM_LOCK.unlock();
        }
    }

    /** What is running now; starts and stops nothing, but removes a stale pid file. */
    public ServerStatus status() {
        return locked(this::statusLocked);
    }

    /**
     * Makes sure the server runs and returns its status: reuses a live server of this home,
     * removes a stale pid file, else starts one. With {@code keep} the server is marked to stay
     * up after every process has left ({@code taskvec db start}).
     */
    public ServerStatus ensureRunning(boolean keep) {
        return locked(() -> ensureRunningLocked(keep));
    }

    /** Must be called holding {@link #locked}. */
    public ServerStatus ensureRunningLocked(boolean keep) throws Exception {
        ServerStatus now = statusLocked();
        String note = now.note();
        if (!now.running()) {
            int port = startServer();
            now = statusLocked();
            if (!now.running()) {
                throw new IllegalStateException("the embedded PostgreSQL in " + dataDir + " started on port " + port
                        + " but does not answer; see " + logFile);
            }
        }
        if (keep) writeState(now.port(), true);
        return new ServerStatus(true, now.port(), now.pid(), dataDir, keep || now.kept(), now.clients(),
                note.isEmpty() ? now.note() : note);
    }

    /** Stops the server of this home if it runs; true if one was stopped. */
    public boolean stop() {
        return locked(this::stopLocked);
    }

    /** Must be called holding {@link #locked}. */
    public boolean stopLocked() throws Exception {
        Optional<PostmasterPidFile> pidFile = PostmasterPidFile.read(dataDir);
        boolean stopped = false;
        EmbeddedPostgres mine = STARTED_HERE.remove(dataDir);
        if (mine != null) {
            mine.close(); // pg_ctl stop -m fast; also releases zonky's lock file
            stopped = true;
        }
        if (pidFile.isPresent() && pidFile.get().processAlive()) {
            signalAndWait(pidFile.get().pid());
            stopped = true;
        }
        PostmasterPidFile.read(dataDir).filter(p -> !p.processAlive()).ifPresent(PostmasterPidFile::delete);
        Optional<Integer> port = readState().map(s -> Integer.parseInt(s.getProperty("port", "-1")));
        writeState(port.orElse(-1), false);
        return stopped;
    }

    /** Whether {@code taskvec db start} asked to keep the server up. */
    public boolean kept() {
        return readState().map(s -> Boolean.parseBoolean(s.getProperty("kept", "false"))).orElse(false);
    }

    private ServerStatus statusLocked() throws IOException, InterruptedException {
        int remembered = readState().map(s -> Integer.parseInt(s.getProperty("port", "-1"))).orElse(-1);
        boolean kept = kept();
        Optional<PostmasterPidFile> pidFile = PostmasterPidFile.read(dataDir);
        if (pidFile.isEmpty()) return new ServerStatus(false, remembered, -1, dataDir, kept, 0, "");
        PostmasterPidFile pf = pidFile.get();
        if (!pf.processAlive()) {
            // the server was killed (or the machine restarted): its pid file is stale
            pf.delete();
            return new ServerStatus(false, remembered, -1, dataDir, kept, 0,
                    "removed the stale " + pf.file() + " of a server that is gone (pid " + pf.pid() + ")");
        }
        long deadline = System.nanoTime() + ANSWER_WAIT.toNanos();
        SQLException last = null;
        do {
            int port = PostmasterPidFile.read(dataDir).map(PostmasterPidFile::port).orElse(-1);
            if (port > 0) {
                try (Connection c = DriverManager.getConnection(serverUrl(port, "postgres"));
                     Statement st = c.createStatement()) {
                    String served = scalar(st, "SHOW data_directory");
                    if (!Path.of(served).toRealPath().equals(dataDir.toRealPath())) {
                        throw new DatabaseInputException("port " + port + " is served by PostgreSQL with data folder "
                                + served + ", not " + dataDir);
                    }
                    int clients = Integer.parseInt(scalar(st, "SELECT count(*) FROM pg_stat_activity"
                            + " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"));
                    return new ServerStatus(true, port, pf.pid(), dataDir, kept, clients, "");
                } catch (SQLException e) {
                    last = e; // starting up or shutting down: ask again
                }
            }
            sleep(200);
            if (!pf.processAlive()) {
                PostmasterPidFile.read(dataDir).filter(p -> !p.processAlive()).ifPresent(PostmasterPidFile::delete);
                return new ServerStatus(false, remembered, -1, dataDir, kept, 0, "");
            }
        } while (System.nanoTime() < deadline);
        // alive but mute: stop it cleanly so a fresh start can take the folder
        LOG.warn("PostgreSQL pid {} holds {} but does not answer ({}); stopping it", pf.pid(), dataDir,
                last == null ? "no port yet" : last.getMessage());
        signalAndWait(pf.pid());
        PostmasterPidFile.read(dataDir).filter(p -> !p.processAlive()).ifPresent(PostmasterPidFile::delete);
        return new ServerStatus(false, remembered, -1, dataDir, kept, 0,
                "stopped PostgreSQL pid " + pf.pid() + " that held " + dataDir + " but did not answer");
    }

    private int startServer() throws Exception {
        Files.createDirectories(serverDir);
        EmbeddedPostgres stale = STARTED_HERE.remove(dataDir);
        if (stale != null) stale.close();
        int remembered = readState().map(s -> Integer.parseInt(s.getProperty("port", "-1"))).orElse(-1);
        int port = remembered > 0 && portFree(remembered) ? remembered : freePort();
        boolean fresh = !Files.exists(dataDir.resolve("PG_VERSION"));
        LOG.info("starting the embedded PostgreSQL on port {} with data in {}", port, dataDir);
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false) // the server outlives this JVM unless stopped on purpose
                .setPort(port)
                // zonky turns these off for throwaway test servers; this data must survive a crash
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setOutputRedirector(Redirect.appendTo(logFile.toFile()))
                .setErrorRedirector(Redirect.appendTo(logFile.toFile()))
                .setPGStartupWait(Duration.ofSeconds(120))
                .start();
        STARTED_HERE.put(dataDir, pg);
        writeState(port, kept());
        try (Connection c = DriverManager.getConnection(serverUrl(port, "postgres"));
             Statement st = c.createStatement()) {
            if (scalar(st, "SELECT count(*) FROM pg_database WHERE datname = '" + DATABASE + "'").equals("0")) {
                st.execute("CREATE DATABASE " + DATABASE);
            }
        }
        LOG.info("embedded PostgreSQL {} on port {}{}", fresh ? "initialised and started" : "started", port, "");
        return port;
    }

    private static String serverUrl(int port, String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database + "?user=" + USER + "&connectTimeout=5";
    }

    private static String scalar(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** SIGINT is PostgreSQL's fast shutdown (SIGTERM would wait for every client to leave). */
    private static void signalAndWait(long pid) throws IOException, InterruptedException {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) return;
        new ProcessBuilder("kill", "-INT", Long.toString(pid)).redirectErrorStream(true)
                .redirectOutput(Redirect.DISCARD).start().waitFor();
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        while (handle.get().isAlive() && System.nanoTime() < deadline) sleep(100);
        if (handle.get().isAlive()) {
            LOG.warn("PostgreSQL pid {} did not stop within {}; sending SIGQUIT", pid, STOP_WAIT);
            new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).start().waitFor();
            while (handle.get().isAlive()) sleep(100);
        }
    }

    private static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private Optional<Properties> readState() {
        if (!Files.exists(stateFile)) return Optional.empty();
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(stateFile)) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException(stateFile + ": cannot read: " + e.getMessage(), e);
        }
        return Optional.of(p);
    }

    private void writeState(int port, boolean kept) throws IOException {
        Properties p = new Properties();
        p.setProperty("port", Integer.toString(port));
        p.setProperty("kept", Boolean.toString(kept));
        Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "taskvec embedded PostgreSQL: remembered port; kept = started by 'taskvec db start'");
        }
        Files.move(tmp, stateFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for PostgreSQL", e);
        }
    }
}
