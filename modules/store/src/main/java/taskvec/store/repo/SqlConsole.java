package taskvec.store.repo;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** Runs a person's SQL (`taskvec sql`): a script of one or more statements, each result handed over in turn. */
public final class SqlConsole {

    /** What a statement gave: rows as text under their column names, or how many rows it changed. */
    public interface Results {
        void rows(TextTable table);

        void updated(int count);
    }

    /** The database refused the SQL; the message is the server's. */
    public static final class QueryFailedException extends RuntimeException {
        QueryFailedException(SQLException e) {
            super(e.getMessage(), e);
        }
    }

    private final DataSource ds;

    public SqlConsole(DataSource ds) {
        this.ds = ds;
    }

    public void run(String script, Results results) {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            boolean hasRows = st.execute(script);
            while (true) {
                if (hasRows) {
                    try (ResultSet rs = st.getResultSet()) {
                        results.rows(TextTable.of(rs));
                    }
                } else {
                    int n = st.getUpdateCount();
                    if (n == -1) break;
                    results.updated(n);
                }
                hasRows = st.getMoreResults();
            }
        } catch (SQLException e) {
            throw new QueryFailedException(e);
        }
    }
}
