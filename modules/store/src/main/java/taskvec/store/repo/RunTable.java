package taskvec.store.repo;

import java.util.List;

/**
 * The per-run tables a run's results are exported from, with their columns in order and each
 * column's type, so a writer (Parquet, CSV) can lay out its schema before reading a row.
 */
public enum RunTable {
    PREDICTIONS("predictions", List.of(
            new Column("id", Column.Type.LONG, false),
            new Column("model", Column.Type.TEXT, false),
            new Column("task", Column.Type.TEXT, false),
            new Column("seed", Column.Type.INT, false),
            new Column("split", Column.Type.TEXT, false),
            new Column("item_id", Column.Type.TEXT, false),
            new Column("condition", Column.Type.TEXT, false),
            new Column("spec", Column.Type.TEXT, true),
            new Column("modality", Column.Type.TEXT, false),
            new Column("layer", Column.Type.INT, true),
            new Column("mode", Column.Type.TEXT, true),
            new Column("alpha", Column.Type.FLOAT, true),
            new Column("output", Column.Type.TEXT, false),
            new Column("correct", Column.Type.BOOLEAN, false),
            new Column("vector_id", Column.Type.LONG, true)),
            "model, task, seed, split, condition, spec NULLS FIRST, modality, mode NULLS FIRST, alpha NULLS FIRST,"
                    + " layer NULLS FIRST, item_id"),
    /** keys: the metric's keys as JSON text ({"task": ..., "layer": ...}). */
    METRICS("metrics", List.of(
            new Column("id", Column.Type.LONG, false),
            new Column("name", Column.Type.TEXT, false),
            new Column("keys", Column.Type.JSON, false),
            new Column("value", Column.Type.DOUBLE, false)),
            "name, keys::text");

    /** A column: its name, type and whether it may be NULL. */
    public record Column(String name, Type type, boolean nullable) {
        /** LONG: bigint, INT: integer, FLOAT: real, DOUBLE: double precision, JSON: jsonb as text. */
        public enum Type { LONG, INT, FLOAT, DOUBLE, BOOLEAN, TEXT, JSON }
    }

    private final String table;
    private final List<Column> columns;
    private final String order;

    RunTable(String table, List<Column> columns, String order) {
        this.table = table;
        this.columns = columns;
        this.order = order;
    }

    /** The table's name ("predictions"), also the exported file's. */
    public String tableName() {
        return table;
    }

    public List<Column> columns() {
        return columns;
    }

    String query() {
        StringBuilder select = new StringBuilder();
        for (Column c : columns) {
            if (!select.isEmpty()) select.append(", ");
            select.append(c.type() == Column.Type.JSON ? c.name() + "::text" : c.name());
        }
        return "SELECT " + select + " FROM " + table + " WHERE run_id = ? ORDER BY " + order + ", id";
    }
}
