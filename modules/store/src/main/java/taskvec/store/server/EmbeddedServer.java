package taskvec.store.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
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
 * <p>Access: the home and everything in it are private to their owner. The server listens on TCP
 * only (loopback, plus the address given to {@code db start --listen}), has no Unix socket, and
 * asks every client for the superuser's password (scram-sha-256), generated into
 * {@code <home>/db/password} when the data folder is made. The binaries are unpacked under
 * {@code <home>/pg}, not into the shared temporary folder where another user could replace them.
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

    private final Path home;
    private final Path serverDir;
    private final Path binDir;
    private final Path passwordFile;
    private final Path dataDir;
    private final Path stateFile;
    private final Path lockFile;
    private final Path logFile;

    public EmbeddedServer(Path home) {
        this.home = home.toAbsolutePath().normalize();
        this.serverDir = this.home.resolve("db");
        this.binDir = this.home.resolve("pg");
        this.passwordFile = serverDir.resolve("password");
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

    /** The file holding the superuser's password (readable by its owner only). */
    public Path passwordFile() {
        return passwordFile;
    }

    /** The superuser's password, for the clients of this home. */
    public String password() {
        return ServerPassword.read(passwordFile).orElseThrow(() -> new IllegalStateException(
                passwordFile + " is missing: the embedded server's password is lost (start the server once to make one)"));
    }

    public static String jdbcUrl(int port) {
        return jdbcUrl("localhost", port);
    }

    /** The URL without the password (it is never printed); clients add it from {@link #passwordFile()}. */
    public static String jdbcUrl(String host, int port) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + DATABASE + "?user=" + USER;
    }

    static String psqlCommand(int port, Path passwordFile) {
        return "PGPASSWORD=$(cat " + passwordFile + ") psql -h localhost -p " + port + " -U " + USER + " " + DATABASE;
    }

    /** Runs the action holding this home's server lock (shared by threads and processes). */
    public <T> T locked(Callable<T> action) {
        JVM_LOCK.lock();
        try {
            PrivateFiles.directory(home);
            PrivateFiles.directory(serverDir);
            PrivateFiles.file(lockFile);
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
        return ensureRunning(keep, null);
    }

    /**
     * As {@link #ensureRunning(boolean)}, listening also on {@code listen} (an address of this host
     * other hosts reach it by; null: loopback only). A server already running with other addresses
     * is an error: it must be stopped first.
     */
    public ServerStatus ensureRunning(boolean keep, String listen) {
        return locked(() -> ensureRunningLocked(keep, listen));
    }

    /** Must be called holding {@link #locked}. */
    public ServerStatus ensureRunningLocked(boolean keep) throws Exception {
        return ensureRunningLocked(keep, null);
    }

    private ServerStatus ensureRunningLocked(boolean keep, String listen) throws Exception {
        ServerStatus now = statusLocked();
        String note = now.note();
        if (now.running() && listen != null && !listen.equals(now.listen())) {
            throw new DatabaseInputException("--listen " + listen + ": the embedded server in " + dataDir
                    + " already runs, listening on " + (now.listen().isEmpty() ? "loopback only" : now.listen())
                    + "; stop it first (taskvec db stop)");
        }
        if (!now.running()) {
            int port = startServer(listen);
            now = statusLocked();
            if (!now.running()) {
                throw new IllegalStateException("the embedded PostgreSQL in " + dataDir + " started on port " + port
                        + " but does not answer; see " + logFile);
            }
        }
        if (keep) writeState(now.port(), true, now.listen());
        return new ServerStatus(true, now.port(), now.pid(), dataDir, keep || now.kept(), now.clients(),
                note.isEmpty() ? now.note() : note, now.listen());
    }

    /**
     * Starts the server again, on its port and addresses, if it crashed: its pid file is left but
     * names no live postgres. A server stopped on purpose ({@code db stop}) removed its pid file and
     * stays stopped. What the store does while it waits for a server that stopped answering.
     */
    public void restartIfCrashed() {
        try {
            locked(() -> {
                Optional<PostmasterPidFile> pidFile = PostmasterPidFile.read(dataDir);
                if (pidFile.isEmpty() || pidFile.get().processAlive()) return null;
                LOG.warn("the embedded PostgreSQL (pid {}) is gone; starting it again", pidFile.get().pid());
                String listen = listening();
                pidFile.get().delete();
                startServer(listen.isEmpty() ? null : listen);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("starting the embedded PostgreSQL again failed: {}", e.getMessage());
        }
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
        writeState(port.orElse(-1), false, "");
        return stopped;
    }

    /** Whether {@code taskvec db start} asked to keep the server up. */
    public boolean kept() {
        return readState().map(s -> Boolean.parseBoolean(s.getProperty("kept", "false"))).orElse(false);
    }

    /** The addresses besides loopback the running server listens on ("" for none). */
    private String listening() {
        return readState().map(s -> s.getProperty("listen", "")).orElse("");
    }

    private ServerStatus statusLocked() throws IOException, InterruptedException {
        int remembered = readState().map(s -> Integer.parseInt(s.getProperty("port", "-1"))).orElse(-1);
        boolean kept = kept();
        Optional<PostmasterPidFile> pidFile = PostmasterPidFile.read(dataDir);
        if (pidFile.isEmpty()) return new ServerStatus(false, remembered, -1, dataDir, kept, 0, "", "");
        PostmasterPidFile pf = pidFile.get();
        if (!pf.processAlive()) {
            // the server was killed (or the machine restarted): its pid file is stale
            pf.delete();
            return new ServerStatus(false, remembered, -1, dataDir, kept, 0,
                    "removed the stale " + pf.file() + " of a server that is gone (pid " + pf.pid() + ")", "");
        }
        long deadline = System.nanoTime() + ANSWER_WAIT.toNanos();
        SQLException last = null;
        do {
            int port = PostmasterPidFile.read(dataDir).map(PostmasterPidFile::port).orElse(-1);
            if (port > 0) {
                try (Connection c = DriverManager.getConnection(serverUrl(port, "postgres"), credentials());
                     Statement st = c.createStatement()) {
                    String served = scalar(st, "SHOW data_directory");
                    if (!Path.of(served).toRealPath().equals(dataDir.toRealPath())) {
                        throw new DatabaseInputException("port " + port + " is served by PostgreSQL with data folder "
                                + served + ", not " + dataDir);
                    }
                    int clients = Integer.parseInt(scalar(st, "SELECT count(*) FROM pg_stat_activity"
                            + " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"));
                    return new ServerStatus(true, port, pf.pid(), dataDir, kept, clients, "", listening());
                } catch (SQLException e) {
                    last = e; // starting up or shutting down: ask again
                }
            }
            sleep(200);
            if (!pf.processAlive()) {
                PostmasterPidFile.read(dataDir).filter(p -> !p.processAlive()).ifPresent(PostmasterPidFile::delete);
                return new ServerStatus(false, remembered, -1, dataDir, kept, 0, "", "");
            }
        } while (System.nanoTime() < deadline);
        // alive but mute: stop it cleanly so a fresh start can take the folder
        LOG.warn("PostgreSQL pid {} holds {} but does not answer ({}); stopping it", pf.pid(), dataDir,
                last == null ? "no port yet" : last.getMessage());
        signalAndWait(pf.pid());
        PostmasterPidFile.read(dataDir).filter(p -> !p.processAlive()).ifPresent(PostmasterPidFile::delete);
        return new ServerStatus(false, remembered, -1, dataDir, kept, 0,
                "stopped PostgreSQL pid " + pf.pid() + " that held " + dataDir + " but did not answer", "");
    }

    private int startServer(String listen) throws Exception {
        EmbeddedPostgres stale = STARTED_HERE.remove(dataDir);
        if (stale != null) stale.close();
        int remembered = readState().map(s -> Integer.parseInt(s.getProperty("port", "-1"))).orElse(-1);
        int port = remembered > 0 && portFree(remembered) ? remembered : freePort();
        boolean fresh = !Files.exists(dataDir.resolve("postgresql.conf"));
        // a data folder made by an older taskvec trusts local connections and its superuser has no password
        boolean trusting = !fresh && HostBasedAccess.trustsWithoutPassword(dataDir);
        String password = ServerPassword.readOrCreate(passwordFile);
        PrivateFiles.file(logFile);
        LOG.info("starting the embedded PostgreSQL on port {} with data in {}", port, dataDir);
        EmbeddedPostgres pg = unpackingUnderHome(() -> EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(PrivateFiles.directory(binDir).toFile())
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false) // the server outlives this JVM unless stopped on purpose
                .setPort(port)
                // zonky passes these "locale" settings to initdb as --key=value, after its own "-A trust":
                // the superuser gets the generated password and every login must present it
                .setLocaleConfig("auth", "scram-sha-256")
                .setLocaleConfig("pwfile", passwordFile.toString())
                .setConnectConfig("password", password)
                .setDataDirectoryCustomizer(dir -> {
                    if (!trusting) HostBasedAccess.write(dir.toPath(), listen != null);
                })
                .setServerConfig("listen_addresses", listenAddresses(listen))
                .setServerConfig("unix_socket_directories", "''") // no socket in the world-writable /tmp
                .setServerConfig("password_encryption", "scram-sha-256")
                // zonky turns these off for throwaway test servers; this data must survive a crash
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setOutputRedirector(Redirect.appendTo(logFile.toFile()))
                .setErrorRedirector(Redirect.appendTo(logFile.toFile()))
                .setPGStartupWait(Duration.ofSeconds(120))
                .start());
        STARTED_HERE.put(dataDir, pg);
        writeState(port, kept(), listen == null ? "" : listen);
        try (Connection c = DriverManager.getConnection(serverUrl(port, "postgres"), credentials());
             Statement st = c.createStatement()) {
            if (trusting) {
                st.execute("ALTER ROLE " + USER + " PASSWORD '" + password + "'");
                HostBasedAccess.write(dataDir, listen != null);
                st.execute("SELECT pg_reload_conf()");
                LOG.info("the embedded PostgreSQL in {} now asks for the password in {}", dataDir, passwordFile);
            }
            if (scalar(st, "SELECT count(*) FROM pg_database WHERE datname = '" + DATABASE + "'").equals("0")) {
                st.execute("CREATE DATABASE " + DATABASE);
            }
        }
        LOG.info("embedded PostgreSQL {} on port {}", fresh ? "initialised and started" : "started", port);
        return port;
    }

    /** Loopback, and the address for other hosts; a wildcard address covers loopback (binding both would clash). */
    static String listenAddresses(String listen) {
        if (listen == null) return "localhost";
        if (listen.equals("0.0.0.0") || listen.equals("::")) return listen;
        return "localhost," + listen;
    }

    /**
     * zonky unpacks its binaries under the folder named by the system property ot.epg.working-dir
     * (default: the shared temporary folder) and clears stale data folders there; pointed at this
     * home's private {@code pg/} for the start; the folders zonky makes writable by everyone on the
     * way are made private again.
     */
    private EmbeddedPostgres unpackingUnderHome(Callable<EmbeddedPostgres> start) throws Exception {
        String property = "ot.epg.working-dir";
        String before = System.getProperty(property);
        System.setProperty(property, PrivateFiles.directory(binDir).toString());
        try {
            return start.call();
        } finally {
            if (before == null) System.clearProperty(property);
            else System.setProperty(property, before);
            PrivateFiles.directory(binDir);
            try (var unpacked = Files.list(binDir)) {
                unpacked.filter(Files::isDirectory).forEach(PrivateFiles::directory);
            }
        }
    }

    /** The superuser's login, for this class's own connections (none before the first start made a password). */
    private Properties credentials() {
        Properties p = new Properties();
        ServerPassword.read(passwordFile).ifPresent(pw -> p.setProperty("password", pw));
        return p;
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
        signal("INT", pid);
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        while (handle.get().isAlive() && System.nanoTime() < deadline) sleep(100);
        if (handle.get().isAlive()) {
            LOG.warn("PostgreSQL pid {} did not stop within {}; sending SIGQUIT", pid, STOP_WAIT);
            signal("QUIT", pid);
            while (handle.get().isAlive()) sleep(100);
        }
    }

    /** The shell's own kill: slim images (a container's) have no kill program. */
    private static void signal(String name, long pid) throws IOException, InterruptedException {
        new ProcessBuilder("sh", "-c", "kill -" + name + " " + pid).redirectErrorStream(true)
                .redirectOutput(Redirect.DISCARD).start().waitFor();
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

    private void writeState(int port, boolean kept, String listen) throws IOException {
        Properties p = new Properties();
        p.setProperty("port", Integer.toString(port));
        p.setProperty("kept", Boolean.toString(kept));
        p.setProperty("listen", listen);
        java.io.StringWriter text = new java.io.StringWriter();
        p.store(text, "taskvec embedded PostgreSQL: remembered port; kept = started by 'taskvec db start';"
                + " listen = addresses besides loopback");
        PrivateFiles.write(stateFile, text.toString());
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
