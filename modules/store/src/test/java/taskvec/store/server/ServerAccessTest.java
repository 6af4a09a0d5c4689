package taskvec.store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.store.DbSettings;
import taskvec.store.Store;
import taskvec.store.repo.NewRun;

/**
 * Who may use the embedded server: only a client with the password from the home, over TCP; the
 * home, its files and the server binaries are private to their owner.
 */
class ServerAccessTest {

    @TempDir
    Path home;

    @AfterEach
    void stopServer() {
        new EmbeddedServer(home).stop();
    }

    @Test
    void aClientWithoutThePasswordIsRefusedAndOneWithItGetsIn() throws Exception {
        try (Store store = Store.open(DbSettings.embedded(home))) {
            int port = store.serverStatus().port();
            String url = EmbeddedServer.jdbcUrl(port);
            SQLException none = assertThrows(SQLException.class, () -> DriverManager.getConnection(url).close());
            assertTrue(none.getMessage().contains("SCRAM-based authentication, but no password was provided"), none.getMessage());
            SQLException wrong = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(url + "&password=guess").close());
            assertTrue(wrong.getMessage().contains("password authentication failed for user \"postgres\""), wrong.getMessage());
            try (Connection c = DriverManager.getConnection(url, password(store.serverStatus()))) {
                assertEquals("", scalar(c, "SHOW unix_socket_directories"), "no Unix socket (initdb's default is /tmp)");
                assertEquals("localhost", scalar(c, "SHOW listen_addresses"));
                assertEquals("0", scalar(c, "SELECT count(*) FROM pg_hba_file_rules WHERE auth_method <> 'scram-sha-256'"));
                assertEquals("SCRAM-SHA-256", scalar(c, "SELECT left(rolpassword, 13) FROM pg_authid WHERE rolname = 'postgres'"));
            }
        }
    }

    @Test
    void theHomeItsFilesAndTheServerBinariesArePrivate() throws Exception {
        try (Store store = Store.open(DbSettings.embedded(home))) {
            assertEquals("rwx------", mode(home));
            assertEquals("rwx------", mode(home.resolve("db")));
            assertEquals("rwx------", mode(home.resolve("db/data")));
            for (String file : new String[] {"db/password", "db/server.log", "db/server.properties", "db/server.lock"}) {
                assertEquals("rw-------", mode(home.resolve(file)), file);
            }
            assertEquals("rwx------", mode(home.resolve("pg")));
            try (var unpacked = Files.list(home.resolve("pg"))) {
                Path binaries = unpacked.filter(p -> p.getFileName().toString().startsWith("PG-")).findFirst().orElseThrow();
                assertTrue(Files.isExecutable(binaries.resolve("bin/postgres")), "binaries unpacked under the home");
                assertEquals("rwx------", mode(binaries));
            }
            long postmaster = store.serverStatus().pid();
            String command = ProcessHandle.of(postmaster).flatMap(p -> p.info().command()).orElseThrow();
            assertTrue(command.startsWith(home.resolve("pg").toString()), "the server runs " + command);
            assertEquals(43, Files.readString(home.resolve("db/password")).strip().length(), "32 random bytes in Base64");
        }
    }

    @Test
    void listeningForOtherHostsStillAsksForThePasswordAndAnotherAddressNeedsAStop() throws Exception {
        EmbeddedServer server = new EmbeddedServer(home);
        ServerStatus status = server.ensureRunning(true, "127.0.0.2");
        assertEquals("127.0.0.2", status.listen());
        assertEquals("jdbc:postgresql://127.0.0.2:" + status.port() + "/taskvec?user=postgres", status.remoteJdbcUrl());
        String url = status.remoteJdbcUrl();
        assertThrows(SQLException.class, () -> DriverManager.getConnection(url).close());
        try (Connection c = DriverManager.getConnection(url, password(status))) {
            assertEquals("localhost,127.0.0.2", scalar(c, "SHOW listen_addresses"));
        }
        DatabaseInputException other = assertThrows(DatabaseInputException.class, () -> server.ensureRunning(true, "127.0.0.3"));
        assertTrue(other.getMessage().contains("already runs, listening on 127.0.0.2; stop it first"), other.getMessage());
        assertEquals(status.pid(), server.ensureRunning(true, "127.0.0.2").pid(), "the same address reuses the server");
    }

    @Test
    void aDataFolderOfAnOlderTaskvecThatTrustedEveryoneGetsAPasswordOnItsNextStart() throws Exception {
        long runId;
        try (Store store = Store.open(DbSettings.embedded(home))) {
            runId = store.runs().create(new NewRun("older", "{}", "test", null, null, "cpu", "float32"));
            try (Connection c = store.connect(); Statement st = c.createStatement()) {
                st.execute("ALTER ROLE postgres PASSWORD NULL");
            }
        }
        // what an older taskvec left: initdb's trusting pg_hba.conf and no password file
        Files.writeString(home.resolve("db/data/pg_hba.conf"), "local all all trust\nhost all all 127.0.0.1/32 trust\n");
        Files.delete(home.resolve("db/password"));
        try (Store store = Store.open(DbSettings.embedded(home))) {
            assertEquals("older", store.runs().find(runId).orElseThrow().name(), "the data survived");
            assertTrue(Files.exists(home.resolve("db/password")));
            assertThrows(SQLException.class, () -> DriverManager.getConnection(store.jdbcUrl()).close());
            assertFalse(Files.readString(home.resolve("db/data/pg_hba.conf")).contains("trust"));
        }
    }

    @Test
    void anotherOsUserCannotReadThePasswordNorConnectWithoutIt() throws Exception {
        OtherUser other = OtherUser.create();
        if (other == null) {
            System.out.println("SKIPPED here: another OS user needs root and useradd (" + OtherUser.why() + ")");
            return;
        }
        try (Store store = Store.open(DbSettings.embedded(home))) {
            OtherUser.Result probe = other.probe(store.serverStatus().port(), home.resolve("db/password"));
            System.out.println("as OS user " + other.name() + ": " + probe.output().strip().replace("\n", " / "));
            assertNotEquals(0, probe.code(), probe.output());
            assertTrue(probe.output().contains("read: AccessDeniedException"), probe.output());
            assertTrue(probe.output().contains("SCRAM-based authentication, but no password was provided"),
                    probe.output());
        } finally {
            other.delete();
        }
    }

    private static Properties password(ServerStatus status) throws Exception {
        Properties p = new Properties();
        p.setProperty("password", Files.readString(status.passwordFile()).strip());
        return p;
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static String scalar(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
