package taskvec.store.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ItemRowsTest {

    @Test
    void rowsArePickedOnlyByColumnsTheStoreKnows() {
        ItemRows rows = ItemRows.of(ItemRows.Table.VECTORS, "task", "antonym", "seed", 1);
        assertEquals(2, rows.match().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ItemRows.of(ItemRows.Table.VECTORS, "task; DROP TABLE runs", "x"));
        assertTrue(e.getMessage().contains("not picked by"), e.getMessage());
    }
}
