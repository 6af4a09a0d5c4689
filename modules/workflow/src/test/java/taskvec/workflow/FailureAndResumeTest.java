package taskvec.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.store.DbSettings;
import taskvec.store.Store;
import taskvec.store.repo.Status;
import taskvec.store.repo.WorkItem;

/** A test image that goes missing after the run started fails exactly its evaluate item; the rest finishes; once the image is back, resume runs only that item. */
class FailureAndResumeTest {
    static Store store;
    @TempDir static Path dir;

    @BeforeAll
    static void open() {
        store = Store.open(DbSettings.embedded(Path.of(System.getenv().getOrDefault("TASKVEC_HOME", "target/test-home"))));
    }

    @AfterAll
    static void close() {
        if (store != null) store.close();
    }

    @Test
    void aMissingImageFailsItsItemOnlyAndResumeRunsOnlyThatItem() throws Exception {
        Path data = TestStudies.copyData(dir);
        Path image = data.resolve("images/w20.png");
        Path aside = dir.resolve("w20.png");
        Path study = TestStudies.small(dir, "missing-image", data, TestStudies.MODEL, "");
        long runId;
        RunOutcome failed;
        try (StudyWorkflow wf = new StudyWorkflow(store, WorkflowOptions.defaults().withFresh(true))) {
            runId = wf.create(study, null, "missing-image", dir);
            Files.move(image, aside); // gone after the input check passed: the run meets it missing
            failed = wf.run(runId);
        }
        assertEquals(Status.FAILED, failed.status());
        List<WorkItem> failedItems = store.workItems().failed(runId);
        List<WorkItem> evaluateFailed = failedItems.stream().filter(w -> w.stage().equals("evaluate")).toList();
        assertEquals(1, evaluateFailed.size(), failed.failed().toString());
        WorkItem bad = evaluateFailed.get(0);
        assertEquals("test", bad.key().parts().get("item").get("split").asText());
        assertTrue(bad.key().parts().get("item").get("items").toString().contains("w20"));
        assertEquals(1, bad.attempts(), "a missing file gives the same error every time: attempted once, not retried");
        assertNotNull(bad.error());
        assertTrue(bad.error().contains("w20.png"), bad.error());
        assertTrue(failed.error().contains("w20"), failed.error());
        // the other evaluate items (val and test) finished; report refused to summarize a run with a failure
        Map<Status, Integer> counts = store.workItems().counts(runId, "evaluate");
        assertEquals(1, counts.get(Status.FAILED));
        assertTrue(counts.get(Status.DONE) >= 4, counts.toString());
        assertEquals(1, store.workItems().counts(runId, "report").get(Status.FAILED));

        Map<Long, OffsetDateTime> finishedBefore = new HashMap<>();
        for (String stage : List.of("prepare", "capture", "average", "ensemble", "evaluate")) {
            for (WorkItem w : store.workItems().list(runId, stage)) if (w.status() == Status.DONE) finishedBefore.put(w.id(), w.finishedAt());
        }
        Files.move(aside, image);
        RunOutcome resumed;
        try (StudyWorkflow wf = new StudyWorkflow(store, WorkflowOptions.defaults().withFresh(true))) {
            resumed = wf.resume(runId);
        }
        assertEquals(Status.DONE, resumed.status(), String.valueOf(resumed.failed()));
        int rerun = 0;
        for (String stage : List.of("prepare", "capture", "average", "ensemble", "evaluate")) {
            for (WorkItem w : store.workItems().list(runId, stage)) {
                assertEquals(Status.DONE, w.status());
                OffsetDateTime before = finishedBefore.get(w.id());
                if (before == null) {
                    rerun++;
                    assertEquals("evaluate", stage);
                    assertTrue(w.key().parts().get("item").get("items").toString().contains("w20"));
                } else {
                    assertEquals(before, w.finishedAt(), "finished work is not redone: " + stage + " item " + w.id());
                }
            }
        }
        assertEquals(1, rerun, "resume ran exactly the item that failed");
        assertTrue(store.metrics().list(runId, "main_table").size() > 0);
    }
}
