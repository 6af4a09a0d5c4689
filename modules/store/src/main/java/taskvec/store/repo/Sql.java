package taskvec.store.repo;

import java.sql.SQLException;

/** Turns a JDBC failure into an unchecked one that says what was being done. */
final class Sql {
    private Sql() {}

    static StoreException fail(String doing, SQLException e) {
        return new StoreException(doing + ": " + e.getMessage(), e);
    }
}
