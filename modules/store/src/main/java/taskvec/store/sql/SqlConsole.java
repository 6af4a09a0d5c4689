package taskvec.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * Runs a user's SQL script ({@code taskvec sql}) in one transaction: read-only unless writing is
 * asked for, so a query can never change the study's record by accident. Parameters are bound by
 * name. Statements that would end or change the transaction are refused in read-only mode (they
 * could otherwise start a writable one); any error rolls the whole script back.
 */
public final class SqlConsole {

    /** What one statement returned: columns and rows (text, NULL as null), or the count of rows it changed. */
    public record Result(List<String> columns, List<List<String>> rows, int updateCount) {
        public boolean hasRows() {
            return columns != null;
        }
    }

    /** SQL the server or this console refused; the message says why. */
    public static final class SqlInputException extends RuntimeException {
        public SqlInputException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Statements that end, start or reconfigure a transaction or session. */
    private static final Set<String> TRANSACTION_CONTROL = Set.of("BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT",
            "SAVEPOINT", "RELEASE", "PREPARE", "SET", "RESET", "CALL", "DISCARD");

    private final DataSource ds;

    public SqlConsole(DataSource ds) {
        this.ds = ds;
    }

    public List<Result> run(String sql, Map<String, String> parameters, boolean write) {
        SqlScript script = SqlScript.parse(sql);
        if (script.statements().isEmpty()) throw new SqlInputException("no SQL statement given", null);
        Set<String> missing = new TreeSet<>(script.parameters());
        missing.removeAll(parameters.keySet());
        if (!missing.isEmpty()) {
            throw new SqlInputException("the query uses :" + String.join(", :", missing) + " but no value was given (--set "
                    + missing.iterator().next() + "=VALUE)", null);
        }
        Set<String> unused = new TreeSet<>(parameters.keySet());
        unused.removeAll(script.parameters());
        if (!unused.isEmpty()) throw new SqlInputException("--set " + String.join(", ", unused) + ": the query has no :" + unused.iterator().next(), null);
        if (!write) {
            for (SqlScript.Statement s : script.statements()) {
                if (TRANSACTION_CONTROL.contains(s.firstKeyword())) {
                    throw new SqlInputException(s.firstKeyword() + " is not allowed in a read-only query (it would end or change its"
                            + " transaction); add --write to run it", null);
                }
            }
        }
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            c.setReadOnly(!write); // the driver begins the transaction READ ONLY
            try {
                List<Result> out = new ArrayList<>();
                for (SqlScript.Statement s : script.statements()) out.add(execute(c, s, parameters));
                if (write) c.commit();
                else c.rollback();
                return out;
            } catch (SQLException e) {
                c.rollback();
                if ("25006".equals(e.getSQLState())) {
                    throw new SqlInputException("the query would change data, and taskvec sql is read-only unless --write is given ("
                            + e.getMessage() + "); nothing was changed", e);
                }
                throw new SqlInputException(e.getMessage() + (write ? "; nothing was changed (the script was rolled back)" : ""), e);
            }
        } catch (SQLException e) {
            throw new SqlInputException(e.getMessage(), e);
        }
    }

    private static Result execute(Connection c, SqlScript.Statement s, Map<String, String> parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(s.jdbcText())) {
            for (int i = 0; i < s.parameters().size(); i++) {
                // untyped: the server infers the type from where the parameter stands, as for a literal
                ps.setObject(i + 1, parameters.get(s.parameters().get(i)), Types.OTHER);
            }
            if (!ps.execute()) return new Result(null, List.of(), ps.getUpdateCount());
            try (ResultSet rs = ps.getResultSet()) {
                ResultSetMetaData md = rs.getMetaData();
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) columns.add(md.getColumnLabel(i));
                List<List<String>> rows = new ArrayList<>();
                while (rs.next()) {
                    List<String> row = new ArrayList<>(columns.size());
                    for (int i = 1; i <= columns.size(); i++) {
                        // booleans as true/false (the driver's text is t/f), as everywhere else in taskvec's output
                        row.add(md.getColumnType(i) == Types.BIT || md.getColumnType(i) == Types.BOOLEAN
                                ? (rs.getObject(i) == null ? null : Boolean.toString(rs.getBoolean(i))) : rs.getString(i));
                    }
                    rows.add(row);
                }
                return new Result(columns, rows, -1);
            }
        }
    }
}
