package taskvec.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import taskvec.store.server.DatabaseInputException;

class DbSettingsTest {

    @Test
    void optionBeatsEnvironmentBeatsEmbedded() {
        Map<String, String> env = Map.of("TASKVEC_HOME", "/tmp/tv-home", "TASKVEC_DB", "jdbc:postgresql://db:5432/x");
        assertEquals("jdbc:postgresql://other/y", DbSettings.resolve("jdbc:postgresql://other/y", env).jdbcUrl());
        assertEquals("jdbc:postgresql://db:5432/x", DbSettings.resolve(null, env).jdbcUrl());
        DbSettings embedded = DbSettings.resolve(null, Map.of("TASKVEC_HOME", "/tmp/tv-home"));
        assertTrue(embedded.isEmbedded());
        assertEquals(Path.of("/tmp/tv-home"), embedded.home());
        assertEquals(Path.of(System.getProperty("user.home"), ".taskvec"), DbSettings.home(Map.of()));
    }

    @Test
    void reportsLiveUnderTheHomeSoTwoHomesNeverShareAFolder() {
        DbSettings a = DbSettings.embedded(Path.of("/tmp/home-a"));
        DbSettings b = DbSettings.embedded(Path.of("/tmp/home-b"));
        assertEquals(Path.of("/tmp/home-a/reports"), a.reportsRoot());
        assertEquals(Path.of("/tmp/home-b/reports"), b.reportsRoot());
        // another server's run 7 is not the embedded server's run 7: its own folder, without the credentials
        DbSettings external = DbSettings.external(Path.of("/tmp/home-a"), "jdbc:postgresql://u:secret@db.lan:5432/taskvec?password=x");
        assertEquals(Path.of("/tmp/home-a/reports/db-db.lan_5432_taskvec"), external.reportsRoot());
        assertFalse(external.reportsRoot().toString().contains("secret"));
    }

    @Test
    void aUrlThatIsNotPostgresIsBadInput() {
        DatabaseInputException e = assertThrows(DatabaseInputException.class,
                () -> DbSettings.resolve("mysql://localhost/x", Map.of()));
        assertTrue(e.getMessage().startsWith("--db mysql://localhost/x: not a PostgreSQL JDBC URL"), e.getMessage());
    }

    @Test
    void passwordsAreMaskedWhenPrinted() {
        assertEquals("jdbc:postgresql://h/db?user=u&password=***&ssl=true",
                DbSettings.redact("jdbc:postgresql://h/db?user=u&password=secret&ssl=true"));
        assertFalse(DbSettings.redact("jdbc:postgresql://u:secret@h/db").contains("secret"));
    }

    @Test
    void howLongToWaitForTheDatabaseComesFromTheEnvironment() {
        assertEquals(DbSettings.DEFAULT_PATIENCE, DbSettings.resolve(null, Map.of()).patience());
        assertEquals(java.time.Duration.ofSeconds(7), DbSettings.resolve(null, Map.of("TASKVEC_DB_WAIT", "7")).patience());
        DatabaseInputException e = assertThrows(DatabaseInputException.class,
                () -> DbSettings.resolve(null, Map.of("TASKVEC_DB_WAIT", "soon")));
        assertEquals("TASKVEC_DB_WAIT=soon: not a number of seconds", e.getMessage());
    }
}
