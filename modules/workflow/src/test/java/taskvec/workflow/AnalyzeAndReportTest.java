package taskvec.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import taskvec.store.DbSettings;
import taskvec.store.Store;
import taskvec.store.repo.Status;
import taskvec.workflow.stage.ReportWork;

/**
 * The embedded study's analyze stage on the fixture model (4 layers, 2 tasks of one domain, text
 * and image examples, instructions, ensembles): the rows it stores, and the report the last stage writes.
 */
class AnalyzeAndReportTest {
    static final Path ROOT = Path.of(System.getProperty("taskvec.root", "../.."));
    static Store store;
    static long run;

    @BeforeAll
    static void runTheEmbeddedStudy() {
        store = Store.open(DbSettings.embedded(Path.of(System.getenv().getOrDefault("TASKVEC_HOME", "target/test-home"))));
        try (StudyWorkflow wf = new StudyWorkflow(store, WorkflowOptions.defaults().withFresh(true))) {
            run = wf.create(ROOT.resolve("workflows/studies/embedded.yaml"), null, "embedded-analyses", ROOT);
            RunOutcome outcome = wf.run(run);
            assertEquals(Status.DONE, outcome.status(), String.valueOf(outcome.failed()));
        }
    }

    @AfterAll
    static void close() {
        if (store != null) store.close();
    }

    static List<String> strings(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    static long number(String sql) throws Exception {
        return Long.parseLong(strings(sql).get(0));
    }

    @Test
    void threePhasesForEveryTaskAndExampleSpecAtEveryLayer() throws Exception {
        // 2 tasks x 2 example specs x 4 layers x 3 probes, each a mean over the 8 val prompts
        assertEquals(48, number("SELECT count(*) FROM phase_lens WHERE run_id = " + run));
        assertEquals(List.of("8"), strings("SELECT DISTINCT prompts FROM phase_lens WHERE run_id = " + run));
        assertEquals(List.of(":"), strings("SELECT DISTINCT token FROM phase_lens WHERE probe = 'input' AND run_id = " + run),
                "the input probe defaults to the delimiter itself");
        assertEquals(List.of("first", "second"), strings("SELECT DISTINCT token FROM phase_lens WHERE probe = 'task' AND run_id = " + run
                + " ORDER BY 1"), "the task word of a task without a default is its name after the domain");
        assertEquals(16 * 5, number("SELECT count(*) FROM phase_tokens WHERE run_id = " + run), "top 5 tokens per layer");
    }

    @Test
    void similarityOfEveryPairOfTaskVectorsAndAMapOfBothKinds() throws Exception {
        // labels: 2 tasks x (text-examples, image-examples, instruction, ensemble); every ordered pair at 4 layers
        assertEquals(8 * 8 * 4, number("SELECT count(*) FROM vector_similarity WHERE run_id = " + run));
        assertEquals(0, number("SELECT count(*) FROM vector_similarity WHERE run_id = " + run
                + " AND (a_task, a_spec) = (b_task, b_spec) AND abs(cosine - 1) > 1e-5"), "a vector is its own twin");
        // the map at the middle layer (2): one point per val prompt vector of the first seed, and its context
        assertEquals(List.of("context|32", "task_vector|32"), strings("SELECT kind || '|' || count(*) FROM embedding_map WHERE run_id = "
                + run + " AND layer = 2 GROUP BY kind ORDER BY kind"));
    }

    @Test
    void taskConflictBetweenTheTwoTasksOfTheDomain() throws Exception {
        assertEquals(List.of("pair-first>pair-second", "pair-second>pair-first"),
                strings("SELECT prompted_task || '>' || patched_task FROM task_conflict WHERE run_id = " + run + " ORDER BY 1"));
        assertEquals(0, number("SELECT count(*) FROM task_conflict WHERE run_id = " + run + " AND abs(patched + prompted + neither - 1) > 1e-9"));
    }

    @Test
    void theLastStageWritesTheReportWithPhasesAndTheClosingNote() throws Exception {
        Path dir = ReportWork.reportsRoot().resolve(Long.toString(run));
        String html = Files.readString(dir.resolve("index.html"));
        for (String id : taskvec.report.ReportWriter.sections()) assertTrue(html.contains("<section id=\"" + id + "\">"), id);
        assertTrue(html.contains("pair-first / text-examples / text"), "a phase plot per task and spec");
        assertTrue(html.contains("the task word peaks at layer"), "closing note");
        assertTrue(html.contains("the answer peaks at layer"), "closing note");
        assertTrue(Files.isRegularFile(dir.resolve("report.md")));
        assertTrue(Files.isRegularFile(dir.resolve("report_phases.csv")));
    }
}
