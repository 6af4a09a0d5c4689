package taskvec.store.repo;

import taskvec.store.DbSettings;
import taskvec.store.Store;
import taskvec.store.key.ContentKey;

import java.util.Map;

/** The store of the shared test home, and fresh runs in it (tests never assume an empty database). */
final class TestRuns {
    private TestRuns() {}

    static Store openSharedStore() {
        return Store.open(DbSettings.embedded(DbSettings.home(System.getenv())));
    }

    static long newRun(Store store, String name) {
        return store.runs().create(new NewRun(name, "{\"tasks\":[\"antonym\"],\"n\":10}", "test",
                "[{\"name\":\"llava-clip-llama\",\"files\":{\"model.safetensors\":\"00\"}}]",
                "{\"djl\":\"0.36.0\"}", "cpu", "float32"));
    }

    static ContentKey key(String stage, Object item) {
        return ContentKey.of(Map.of("stage", stage, "item", item));
    }
}
