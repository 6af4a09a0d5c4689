package taskvec.workflow;

import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import taskvec.store.DatabaseFaults;

/**
 * Does a step again when the database connection broke under it (server restart, network
 * partition): the store's next connection waits for the server, and every step it is used for
 * is safe to repeat (claims hold a token, writes are keyed with ON CONFLICT DO NOTHING). A
 * database that stayed away for the store's whole patience is not retried: the error goes up.
 */
final class DatabaseRetry {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseRetry.class);
    /** Connections that break again and again while new ones can be had: something else is wrong. */
    static final int MAX_TRIES = 10;

    private DatabaseRetry() {}

    static <T> T retrying(String what, Supplier<T> step) {
        for (int attempt = 1; ; attempt++) {
            try {
                return step.get();
            } catch (RuntimeException e) {
                if (!DatabaseFaults.isTransient(e) || attempt >= MAX_TRIES) throw e;
                LOG.warn("{}: the database connection broke ({}); doing it again", what, rootMessage(e));
            }
        }
    }

    static void retrying(String what, Runnable step) {
        retrying(what, () -> {
            step.run();
            return null;
        });
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().lines().findFirst().orElse("");
    }
}
