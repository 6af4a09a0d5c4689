package taskvec.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import taskvec.store.DbSettings;
import taskvec.store.Store;

/**
 * Base of the CLI tests that use the embedded database: one store held open for the whole class, so the
 * server of the test home stays up between the commands a test runs (each command opens and closes its own
 * store, and the last one out would otherwise stop the server every time).
 */
abstract class HeldServerTest {
    static Store held;

    @BeforeAll
    static void holdServer() {
        held = Store.open(DbSettings.embedded(DbSettings.home(System.getenv())));
    }

    @AfterAll
    static void release() {
        held.close();
    }
}
