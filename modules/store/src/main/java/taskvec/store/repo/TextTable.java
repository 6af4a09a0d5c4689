package taskvec.store.repo;

import java.util.List;

/** Rows of text under their column names, as a query returned them (for printing). */
public record TextTable(List<String> columns, List<List<String>> rows) {

    /** Reads every row of a result as text. */
    static TextTable of(java.sql.ResultSet rs) throws java.sql.SQLException {
        java.sql.ResultSetMetaData md = rs.getMetaData();
        List<String> columns = new java.util.ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) columns.add(md.getColumnLabel(i));
        List<List<String>> rows = new java.util.ArrayList<>();
        while (rs.next()) {
            List<String> row = new java.util.ArrayList<>(columns.size());
            for (int i = 1; i <= columns.size(); i++) row.add(rs.getString(i));
            rows.add(row);
        }
        return new TextTable(List.copyOf(columns), rows);
    }
}
