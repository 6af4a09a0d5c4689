package taskvec.store.repo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;

/** Streams the rows of a run's table ({@link RunTable}) in a stable order, for export. */
public final class RunTableRepository {
    /** Rows fetched per round trip: a big run's predictions never sit in memory at once. */
    private static final int FETCH = 5000;

    private final DataSource ds;

    public RunTableRepository(DataSource ds) {
        this.ds = ds;
    }

    /**
     * Hands every row of the run to {@code row}, one value per {@link RunTable#columns} entry
     * (Long, Integer, Float, Double, Boolean, String; null for NULL), and returns the row count.
     */
    public long read(RunTable table, long runId, Consumer<Object[]> row) {
        List<RunTable.Column> columns = table.columns();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false); // PostgreSQL streams with a cursor only inside a transaction
            c.setReadOnly(true);
            try (PreparedStatement ps = c.prepareStatement(table.query())) {
                ps.setFetchSize(FETCH);
                ps.setLong(1, runId);
                long n = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Object[] values = new Object[columns.size()];
                        for (int i = 0; i < values.length; i++) values[i] = value(rs, i + 1, columns.get(i).type());
                        row.accept(values);
                        n++;
                    }
                }
                c.commit();
                return n;
            }
        } catch (SQLException e) {
            throw Sql.fail("reading " + table.tableName() + " of run " + runId, e);
        }
    }

    private static Object value(ResultSet rs, int i, RunTable.Column.Type type) throws SQLException {
        Object v = switch (type) {
            case LONG -> rs.getLong(i);
            case INT -> rs.getInt(i);
            case FLOAT -> rs.getFloat(i);
            case DOUBLE -> rs.getDouble(i);
            case BOOLEAN -> rs.getBoolean(i);
            case TEXT, JSON -> rs.getString(i);
        };
        return rs.wasNull() ? null : v;
    }
}
