package taskvec.report;

import java.util.List;

/** The rows one report view returned for a run, in the view's report order. */
public record ViewTable(String view, List<String> columns, List<List<Object>> rows) {

    public int column(String name) {
        int i = columns.indexOf(name);
        if (i < 0) throw new IllegalArgumentException("view " + view + " has no column " + name + " (columns: " + columns + ")");
        return i;
    }

    public Object get(int row, String column) {
        return rows.get(row).get(column(column));
    }

    public String text(int row, String column) {
        Object v = get(row, column);
        return v == null ? null : v.toString();
    }

    /** NaN for NULL. */
    public double number(int row, String column) {
        Object v = get(row, column);
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public int size() {
        return rows.size();
    }
}
