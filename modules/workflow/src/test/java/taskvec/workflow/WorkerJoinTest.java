package taskvec.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.store.DbSettings;
import taskvec.store.Store;
import taskvec.store.key.ContentKey;
import taskvec.store.repo.NewRun;
import taskvec.store.repo.Status;
import taskvec.store.repo.WorkItem;
import taskvec.store.server.EmbeddedServer;

/**
 * What a worker joining from another host checks before it does a run's items: the same code
 * version and the same model files. A run it cannot serve is said why and left alone, its items
 * untouched for the workers that can. On a store of its own, so no other test's runs are claimable.
 */
class WorkerJoinTest {
    @TempDir static Path home;
    @TempDir static Path dir;
    static Store store;

    @BeforeAll
    static void open() {
        store = Store.open(DbSettings.embedded(home));
    }

    @AfterAll
    static void close() {
        store.close();
        new EmbeddedServer(home).stop();
    }

    @Test
    void aWorkerOfAnotherCodeVersionLeavesTheRunAloneAndItsItemsUntouched() {
        long runId = store.runs().create(new NewRun("other-code", "{}", "0.1.0+0000000000000000000000000000000000000000",
                "[]", "{}", "cpu", "float32"));
        store.runs().setStatus(runId, Status.RUNNING, null);
        store.stages().begin(runId, "prepare", ContentKey.of(Map.of("stage", "prepare")));
        store.workItems().addAll(runId, "prepare", List.of(ContentKey.of(Map.of("item", Map.of("n", 1))),
                ContentKey.of(Map.of("item", Map.of("n", 2)))), 3);
        WorkflowOptions options = WorkflowOptions.defaults().withWorkerName("joining-worker");
        try (StudyWorkflow wf = new StudyWorkflow(store, options)) {
            assertTrue(wf.whyCannotServe(runId).orElseThrow().startsWith("the run was made by code 0.1.0+0000000000"),
                    wf.whyCannotServe(runId).toString());
            assertEquals(0, new Worker(wf).work(Duration.ofSeconds(2)), "no item done");
        }
        for (WorkItem w : store.workItems().list(runId, "prepare")) {
            assertEquals(Status.PENDING, w.status(), "given back");
            assertEquals(0, w.attempts(), "the check spends none of the item's attempts");
        }
    }

    @Test
    void aModelFileThatDiffersFromTheRunsIsNamed() throws Exception {
        Path model = dir.resolve("model");
        Files.createDirectories(model);
        try (Stream<Path> files = Files.list(TestStudies.MODEL)) {
            for (Path f : (Iterable<Path>) files::iterator) Files.copy(f, model.resolve(f.getFileName()));
        }
        Path study = TestStudies.small(dir, "join", TestStudies.ROOT.resolve("data/fixture-study"), model, "");
        long runId;
        try (StudyWorkflow wf = new StudyWorkflow(store, WorkflowOptions.defaults().withWorkerName("coordinator"))) {
            runId = wf.create(study, null, "join", dir);
            assertEquals(Optional.empty(), wf.whyCannotServe(runId), "the process that made the run can serve it");
        }
        // another host's copy of the model: the same folder, one file changed (still valid JSON)
        Files.writeString(model.resolve("config.json"), "\n", StandardOpenOption.APPEND);
        try (StudyWorkflow other = new StudyWorkflow(store, WorkflowOptions.defaults().withWorkerName("other-host"))) {
            String why = other.whyCannotServe(runId).orElseThrow();
            assertTrue(why.contains("config.json in " + model + " differs from the run's (SHA-256 "), why);
        }
    }
}
