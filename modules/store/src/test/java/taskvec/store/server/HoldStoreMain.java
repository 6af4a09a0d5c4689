package taskvec.store.server;

import java.nio.file.Path;
import taskvec.store.DbSettings;
import taskvec.store.Store;

/**
 * A child process for tests: opens the store of the home given as argument, prints
 * "READY <port> <postmaster pid>", then waits to be killed.
 */
public final class HoldStoreMain {
    public static void main(String[] args) throws Exception {
        Store store = Store.open(DbSettings.embedded(Path.of(args[0])));
        System.out.println("READY " + store.serverStatus().port() + " " + store.serverStatus().pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
