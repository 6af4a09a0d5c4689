package taskvec.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.store.DbSettings;
import taskvec.store.Store;
import taskvec.store.repo.Status;

/** explain names the key part that changed: N (shots), the layer list, a model file. */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ExplainTest {
    static Store store;
    @TempDir static Path dir;
    static Path data;
    static Path model;
    static long baseRun;

    @BeforeAll
    static void runOnce() throws Exception {
        store = Store.open(DbSettings.embedded(Path.of(System.getenv().getOrDefault("TASKVEC_HOME", "target/test-home"))));
        data = TestStudies.copyData(dir);
        model = dir.resolve("model");
        Files.createDirectories(model);
        try (Stream<Path> files = Files.list(TestStudies.MODEL)) {
            for (Path f : (Iterable<Path>) files::iterator) Files.copy(f, model.resolve(f.getFileName()));
        }
        try (StudyWorkflow wf = new StudyWorkflow(store, WorkflowOptions.defaults().withFresh(true))) {
            baseRun = wf.create(TestStudies.small(dir, "base", data, model, ""), null, "explain-base", dir);
            assertEquals(Status.DONE, wf.run(baseRun).status());
        }
    }

    @AfterAll
    static void close() {
        if (store != null) store.close();
    }

    private static List<String> explainNew(String extra, String stage) throws Exception {
        try (StudyWorkflow wf = new StudyWorkflow(store, WorkflowOptions.defaults())) {
            long run = wf.create(TestStudies.small(dir, "changed" + Math.abs(extra.hashCode()), data, model, extra), null, "explain-changed", dir);
            List<String> lines = new Explainer(wf).explain(run, stage).stream().flatMap(e -> e.lines().stream()).toList();
            System.out.println(String.join("\n", lines));
            return lines;
        }
    }

    @Test
    void changingNIsNamed() throws Exception {
        List<String> lines = explainNew("shots: 2", "capture");
        assertTrue(lines.stream().anyMatch(l -> l.contains("differs from run " + baseRun) || l.contains("differs from run")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.trim().startsWith("settings.shots: 3 -> 2")), lines.toString());
    }

    @Test
    void changingTheLayerListIsNamed() throws Exception {
        List<String> lines = explainNew("layers: [1, 2]", "evaluate");
        assertTrue(lines.stream().anyMatch(l -> l.trim().startsWith("settings.layers: [0,1,2,3] -> [1,2]")), lines.toString());
        // capture does not depend on the layers: it would be reused
        List<String> capture = explainNew("layers: [1, 2]", "capture");
        assertTrue(capture.stream().anyMatch(l -> l.contains("will be reused")), capture.toString());
    }

    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE) // last: it changes the model folder the other cases use
    void changingAModelFileIsNamed() throws Exception {
        try (StudyWorkflow wf = new StudyWorkflow(store, WorkflowOptions.defaults())) {
            Files.writeString(model.resolve("config.json"), "\n", StandardOpenOption.APPEND); // same config, other bytes
            List<String> lines = new Explainer(wf).explain(baseRun, "capture").stream().flatMap(e -> e.lines().stream()).toList();
            System.out.println(String.join("\n", lines));
            assertTrue(lines.stream().anyMatch(l -> l.contains("inputs changed since it ran")), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.trim().startsWith("model.files.config.json:")), lines.toString());
        }
    }
}
