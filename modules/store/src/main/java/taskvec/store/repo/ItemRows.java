package taskvec.store.repo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The rows one work item writes: a table and the column values that pick them in a run (a
 * {@code String[]} value matches any of its elements). Columns are checked against the table's
 * known ones, so the statements built from them only ever hold column names the store wrote.
 */
public record ItemRows(Table table, Map<String, Object> match) {

    /** The tables items write, with the columns an item's rows are picked by ("keys.x": the metric key x). */
    public enum Table {
        PROMPTS(Set.of("task")),
        VECTORS(Set.of("kind", "task", "spec", "seed", "variant")),
        PREDICTIONS(Set.of("task", "split", "item_id")),
        METRICS(Set.of("name", "keys.task", "keys.seed")),
        /** phase_lens with its phase_tokens */
        PHASES(Set.of("task")),
        VECTOR_SIMILARITY(Set.of()),
        EMBEDDING_MAP(Set.of()),
        TASK_CONFLICT(Set.of());

        private final Set<String> columns;

        Table(Set<String> columns) {
            this.columns = columns;
        }
    }

    public ItemRows {
        for (String column : match.keySet()) {
            if (!table.columns.contains(column)) throw new IllegalArgumentException(table + " rows are not picked by " + column);
        }
        match = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(match));
    }

    /** Rows of a table picked by column/value pairs: {@code of(VECTORS, "task", "antonym", "seed", 1)}. */
    public static ItemRows of(Table table, Object... columnsAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < columnsAndValues.length; i += 2) m.put((String) columnsAndValues[i], columnsAndValues[i + 1]);
        return new ItemRows(table, m);
    }

    /** Every row of the run in the table. */
    public static ItemRows all(Table table) {
        return new ItemRows(table, Map.of());
    }
}
