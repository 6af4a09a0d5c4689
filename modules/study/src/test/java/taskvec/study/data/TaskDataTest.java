package taskvec.study.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import taskvec.study.config.PaperDefaults;

/** The project's six-task data in data/tasks, read through the same importer users run. */
class TaskDataTest {
    static final Path TASKS = Path.of(System.getProperty("taskvec.root", "../..")).resolve("data/tasks");

    static final Map<String, List<String>> DOMAINS = new LinkedHashMap<>();

    static {
        DOMAINS.put("country", List.of("country-capital", "country-currency"));
        DOMAINS.put("animal", List.of("animal-latin", "animal-young"));
        DOMAINS.put("food", List.of("food-color", "food-flavor"));
    }

    @Test
    void hasTheSixTasksInThePapersLayout() {
        Dataset ds = DatasetImporter.load(TASKS);
        assertEquals(Set.copyOf(PaperDefaults.TASKS), ds.taskNames());
        assertTrue(Files.isRegularFile(TASKS.resolve("README.md")), "data/tasks/README.md records the sources");
        for (String task : PaperDefaults.TASKS) {
            assertEquals(30, ds.items(task, Split.VAL).size(), task + " val");
            assertTrue(ds.items(task, Split.TEST).size() >= 100, task + " test has " + ds.items(task, Split.TEST).size());
        }
    }

    @Test
    void inputsAreUniqueWithinATaskAndValAndTestAreDisjoint() {
        Dataset ds = DatasetImporter.load(TASKS);
        for (String task : PaperDefaults.TASKS) {
            Set<String> inputs = new HashSet<>();
            Set<String> ids = new HashSet<>();
            for (Split split : Split.values()) {
                for (TaskItem item : ds.items(task, split)) {
                    assertTrue(inputs.add(item.input().strip().toLowerCase()), task + ": input '" + item.input() + "' appears twice");
                    assertTrue(ids.add(item.id()), task + ": id '" + item.id() + "' appears twice");
                    assertTrue(!item.output().isBlank(), task + ": " + item.id() + " has an empty output");
                }
            }
        }
    }

    @Test
    void theTwoTasksOfADomainShareEntitiesIdsAndSplits() {
        Dataset ds = DatasetImporter.load(TASKS);
        for (Map.Entry<String, List<String>> domain : DOMAINS.entrySet()) {
            String a = domain.getValue().get(0);
            String b = domain.getValue().get(1);
            int entities = 0;
            for (Split split : Split.values()) {
                Map<String, TaskItem> byId = new LinkedHashMap<>();
                for (TaskItem item : ds.items(a, split)) byId.put(item.id(), item);
                List<TaskItem> other = ds.items(b, split);
                assertEquals(byId.keySet(), new java.util.LinkedHashSet<>(other.stream().map(TaskItem::id).toList()),
                        domain.getKey() + ": " + a + " and " + b + " " + split.fileName() + " ids differ");
                for (TaskItem item : other) {
                    TaskItem twin = byId.get(item.id());
                    assertEquals(twin.input(), item.input(), domain.getKey() + ": id " + item.id() + " names different entities");
                    assertEquals(twin.image(), item.image(), domain.getKey() + ": id " + item.id() + " has different images");
                }
                entities += byId.size();
            }
            assertTrue(entities >= 130, domain.getKey() + " has " + entities + " entities, needs at least 130");
        }
    }
}
