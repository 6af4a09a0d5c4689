package taskvec.study.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import taskvec.study.StudyInputException;
import taskvec.study.data.Split;
import taskvec.study.data.TaskItem;

class DemonstrationSamplerTest {
    private static List<TaskItem> pool(int n) {
        List<TaskItem> items = new ArrayList<>();
        for (int i = 0; i < n; i++) items.add(new TaskItem("item-" + i, "in" + i, "out" + i, null));
        return items;
    }

    @Test
    void isAFunctionOfTheKeysOnlyNotOfPoolOrderOrGlobalState() {
        List<TaskItem> pool = pool(30);
        List<TaskItem> first = DemonstrationSampler.sample("country-capital", 1, Split.VAL, "item-3", pool, 5);
        List<TaskItem> shuffled = new ArrayList<>(pool);
        Collections.shuffle(shuffled, new Random(99));
        new Random().nextInt(); // touching global-ish random state changes nothing
        assertEquals(first, DemonstrationSampler.sample("country-capital", 1, Split.VAL, "item-3", shuffled, 5));
        assertEquals(5, new HashSet<>(first).size());
        // each key matters
        assertNotEquals(first, DemonstrationSampler.sample("country-capital", 2, Split.VAL, "item-3", pool, 5));
        assertNotEquals(first, DemonstrationSampler.sample("country-currency", 1, Split.VAL, "item-3", pool, 5));
        assertNotEquals(first, DemonstrationSampler.sample("country-capital", 1, Split.TEST, "item-3", pool, 5));
        assertNotEquals(first, DemonstrationSampler.sample("country-capital", 1, Split.VAL, "item-4", pool, 5));
    }

    @Test
    void neverIncludesTheQueryItem() {
        List<TaskItem> pool = pool(6); // the query plus exactly five others: all five must come back
        for (int seed = 1; seed <= 20; seed++) {
            for (TaskItem query : pool) {
                List<String> ids = DemonstrationSampler.ids(DemonstrationSampler.sample("t", seed, Split.VAL, query.id(), pool, 5));
                assertFalse(ids.contains(query.id()));
                assertEquals(5, new HashSet<>(ids).size());
            }
        }
    }

    @Test
    void tooFewItemsIsAClearError() {
        StudyInputException e = assertThrows(StudyInputException.class,
                () -> DemonstrationSampler.sample("t", 1, Split.VAL, "item-0", pool(5), 5));
        assertEquals("task 't' val: needs 5 demonstrations besides item 'item-0' but has only 4 other items", e.getMessage());
    }

    @Test
    void keyedSeedsArePinned() {
        // SHA-256("demos|t|1|val|q") first 8 bytes, big-endian: pins the rule so a refactor cannot change every sample silently
        long a = KeyedRandom.seedOf("demos", "t", 1, "val", "q");
        assertEquals(a, KeyedRandom.seedOf("demos", "t", 1, "val", "q"));
        assertNotEquals(a, KeyedRandom.seedOf("demos", "t", 1, "val", "q2"));
        assertEquals(0x2cf24dba5fb0a30eL, KeyedRandom.seedOf("hello"));
    }
}
