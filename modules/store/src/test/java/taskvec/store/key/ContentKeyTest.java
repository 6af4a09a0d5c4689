package taskvec.store.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContentKeyTest {

    @Test
    void hashIsSha256OfCanonicalJsonWithSortedKeysAtEveryDepth() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("d", "x");
        nested.put("c", List.of(2, 3));
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("b", nested);
        parts.put("a", 1);
        ContentKey key = ContentKey.of(parts);
        assertEquals("{\"a\":1,\"b\":{\"c\":[2,3],\"d\":\"x\"}}", key.canonicalJson());
        // printf '%s' '{"a":1,"b":{"c":[2,3],"d":"x"}}' | sha256sum
        assertEquals("a24cf8206160311d0d693d56fd88e736ec52f8c0df41d69ad6bbb76927d4ffc2", key.hash());
    }

    @Test
    void insertionOrderDoesNotMatterButValuesAndArrayOrderDo() {
        ContentKey a = ContentKey.of(Map.of("seed", 1, "layers", List.of(0, 1), "model", Map.of("x", "1", "y", "2")));
        ContentKey b = ContentKey.ofJson("{\"model\":{\"y\":\"2\",\"x\":\"1\"},\"layers\":[0,1],\"seed\":1}");
        assertEquals(a, b);
        assertNotEquals(a.hash(), ContentKey.of(Map.of("seed", 1, "layers", List.of(1, 0), "model", Map.of("x", "1", "y", "2"))).hash());
        assertNotEquals(a.hash(), ContentKey.of(Map.of("seed", 2, "layers", List.of(0, 1), "model", Map.of("x", "1", "y", "2"))).hash());
    }

    @Test
    void diffNamesTheChangedPartsByDottedPath() {
        ContentKey before = ContentKey.of(Map.of("study", Map.of("n", 10, "layers", List.of(0, 1)),
                "model", Map.of("files", Map.of("model.safetensors", "aa")), "code", "v1"));
        ContentKey after = ContentKey.of(Map.of("study", Map.of("n", 20, "layers", List.of(0, 1)),
                "model", Map.of("files", Map.of("model.safetensors", "bb")), "code", "v1", "seed", 3));
        List<KeyPartChange> changes = after.diff(before);
        assertEquals(List.of("model.files.model.safetensors", "seed", "study.n"),
                changes.stream().map(KeyPartChange::name).toList());
        assertEquals("study.n: 10 -> 20", changes.get(2).toString());
        assertEquals("seed: (absent) -> 3", changes.get(1).toString());
        assertEquals(List.of(), after.diff(after));
    }

    @Test
    void partsThatAreNotAJsonObjectAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ContentKey.ofJson("[1,2]"));
        assertEquals("key parts: not a JSON object: [1,2]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ContentKey.ofJson("{nope"));
    }
}
