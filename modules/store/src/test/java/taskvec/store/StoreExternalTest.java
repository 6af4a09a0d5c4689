package taskvec.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.store.server.DatabaseInputException;
import taskvec.store.server.EmbeddedServer;

/** --db: any PostgreSQL by URL; the embedded server of the shared test home stands in for "another server". */
class StoreExternalTest {

    @TempDir
    Path home;

    @Test
    void anUnreachableDbIsAClearErrorNamingTheUrlAndWritesNothing() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again below: nothing listens there
        }
        String url = "jdbc:postgresql://localhost:" + port + "/taskvec?user=postgres&password=secret";
        DatabaseInputException e = assertThrows(DatabaseInputException.class,
                () -> Store.open(DbSettings.external(home, url)));
        assertTrue(e.getMessage().startsWith("cannot connect to the database jdbc:postgresql://localhost:" + port
                + "/taskvec?user=postgres&password=***: "), e.getMessage());
        assertFalse(e.getMessage().contains("secret"));
        try (var files = Files.list(home)) {
            assertEquals(0, files.count(), "an unreachable --db left files in the home");
        }
    }

    @Test
    void aReachableDbUrlIsUsedAsIsAndMigrated() {
        Path embeddedHome = DbSettings.home(System.getenv());
        try (Store embedded = Store.open(DbSettings.embedded(embeddedHome));
             Store byUrl = Store.open(DbSettings.external(home, embedded.jdbcUrl() + "&password="
                     + new EmbeddedServer(embeddedHome).password()))) {
            assertTrue(byUrl.jdbcUrl().startsWith(embedded.jdbcUrl()), byUrl.jdbcUrl());
            assertTrue(byUrl.describe().startsWith("database jdbc:postgresql://localhost:"), byUrl.describe());
            assertTrue(byUrl.describe().endsWith("&password=***"), "the password is never printed: " + byUrl.describe());
            assertEquals(null, byUrl.serverStatus());
            long run = byUrl.runs().create(new taskvec.store.repo.NewRun("by url", "{}", "test", null, null, "cpu", "float32"));
            assertEquals("by url", embedded.runs().find(run).orElseThrow().name());
        }
        assertFalse(Files.exists(home.resolve("db")), "--db must not touch the embedded server's folder");
    }

    @Test
    void thePasswordOfADbUrlCanComeFromAFile() throws Exception {
        Path embeddedHome = DbSettings.home(System.getenv());
        Path secret = home.resolve("db-password");
        try (Store embedded = Store.open(DbSettings.embedded(embeddedHome))) {
            Files.writeString(secret, new EmbeddedServer(embeddedHome).password() + "\n");
            DbSettings byFile = DbSettings.resolve(embedded.jdbcUrl(), java.util.Map.of(
                    "TASKVEC_HOME", home.toString(), "TASKVEC_DB_PASSWORD_FILE", secret.toString()));
            try (Store store = Store.open(byFile)) {
                assertEquals(embedded.runs().list().size(), store.runs().list().size());
            }
        }
    }
}
