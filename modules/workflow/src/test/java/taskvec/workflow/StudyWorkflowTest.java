package taskvec.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import taskvec.store.DbSettings;
import taskvec.store.Store;
import taskvec.store.repo.Status;

/** The embedded study end to end on the real fixture model and the embedded PostgreSQL: a run, then a run that reuses all of it. */
class StudyWorkflowTest {
    static final Path ROOT = Path.of(System.getProperty("taskvec.root", "../.."));
    static Store store;

    @BeforeAll
    static void open() {
        store = Store.open(DbSettings.embedded(Path.of(System.getenv().getOrDefault("TASKVEC_HOME", "target/test-home"))));
    }

    @AfterAll
    static void close() {
        if (store != null) store.close();
    }

    static String digest(long runId, String column) throws Exception {
        return digestOf(store, runId, column);
    }

    static String digestOf(Store store, long runId, String column) throws Exception {
        try (Connection c = store.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + column + " FROM run_digest WHERE run_id = " + runId)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aFreshRunDoesEveryStageAndASecondIdenticalRunReusesAllOfIt() throws Exception {
        Path study = ROOT.resolve("workflows/studies/fixture.yaml");
        RunOutcome first;
        try (StudyWorkflow wf = new StudyWorkflow(store, WorkflowOptions.defaults().withFresh(true))) {
            long id = wf.create(study, null, "embedded-fresh", ROOT);
            first = wf.run(id);
        }
        System.out.println("fresh run " + first.runId() + ": " + first.millis() + " ms, " + first.items());
        assertEquals(Status.DONE, first.status(), String.valueOf(first.failed()));
        assertEquals(0, first.count(Status.REUSED));
        assertTrue(first.count(Status.DONE) > 0);
        RunOutcome second;
        try (StudyWorkflow wf = new StudyWorkflow(store, WorkflowOptions.defaults())) {
            long id = wf.create(study, null, "embedded-again", ROOT);
            second = wf.run(id);
        }
        System.out.println("second run " + second.runId() + ": " + second.millis() + " ms, " + second.items());
        assertEquals(Status.DONE, second.status());
        assertEquals(0, second.count(Status.DONE), "nothing recomputed");
        assertEquals(first.count(Status.DONE), second.count(Status.REUSED));
        assertEquals(digest(first.runId(), "vectors_sha256"), digest(second.runId(), "vectors_sha256"));
        assertEquals(digest(first.runId(), "predictions_sha256"), digest(second.runId(), "predictions_sha256"));
        for (var stage : store.stages().list(second.runId())) assertEquals(Status.REUSED, stage.status(), stage.name());
    }
}
