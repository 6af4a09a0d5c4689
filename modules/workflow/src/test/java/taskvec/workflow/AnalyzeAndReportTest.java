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
import taskvec.workflow.context.StudyModel;

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
            run = wf.create(ROOT.resolve("workflows/studies/fixture.yaml"), null, "embedded-analyses", ROOT);
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
        try (Connection c = store.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
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
        Path dir = store.settings().reportsRoot().resolve(Long.toString(run));
        String html = Files.readString(dir.resolve("index.html"));
        for (String id : taskvec.report.ReportWriter.sections()) assertTrue(html.contains("<section id=\"" + id + "\">"), id);
        assertTrue(html.contains("pair-first / text-examples / text"), "a phase plot per task and spec");
        assertTrue(html.contains("the task word peaks at layer"), "closing note");
        assertTrue(html.contains("the answer peaks at layer"), "closing note");
        assertTrue(Files.isRegularFile(dir.resolve("report.md")));
        assertTrue(Files.isRegularFile(dir.resolve("report_phases.csv")));
    }

    @Test
    void theLlmsVectorsJoinTheSimilarityAndASwitchedOffAnalysisStoresNothing(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path llm = TestStudies.MODEL.getParent().getParent().resolve("llama-sharded/model");
        Path study = TestStudies.small(dir, "transfer-analyses", TestStudies.copyData(dir), TestStudies.MODEL,
                "analyses: {phases: false, map_layer: 1}").toAbsolutePath();
        Files.writeString(study, Files.readString(study).replace("models: {target: {dir: " + TestStudies.MODEL + "}}",
                "models: {target: {dir: " + TestStudies.MODEL + "}, source: {dir: " + llm + "}}"));
        long id;
        try (StudyWorkflow wf = new StudyWorkflow(store, WorkflowOptions.defaults().withFresh(true))) {
            id = wf.create(study, null, "transfer-analyses", dir);
            RunOutcome out = wf.run(id);
            assertEquals(Status.DONE, out.status(), String.valueOf(out.failed()));
        }
        assertEquals(0, number("SELECT count(*) FROM phase_lens WHERE run_id = " + id), "phases: false");
        assertEquals(List.of("1"), strings("SELECT DISTINCT layer FROM embedding_map WHERE run_id = " + id), "map_layer: 1");
        String source = StudyModel.storedName(null, llm);
        // the VLM's text-examples, instruction, ensemble and the LLM's three: 6 labels, every ordered pair at 4 layers
        assertEquals(6 * 6 * 4, number("SELECT count(*) FROM vector_similarity WHERE run_id = " + id));
        // with one seed, the LLM/VLM cosine of text-example vectors is the workflow's transfer cosine
        List<String> both = strings("SELECT round(s.cosine::numeric, 9) || ' ' || round(m.value::numeric, 9) FROM vector_similarity s"
                + " JOIN metrics m ON m.run_id = s.run_id AND m.name = 'transfer_cosine' AND (m.keys ->> 'layer')::int = s.layer"
                + " AND m.keys ->> 'spec' = 'text-examples' WHERE s.run_id = " + id + " AND s.a_model = '" + source + "'"
                + " AND s.a_spec = 'text-examples' AND s.b_model <> s.a_model AND s.b_spec = 'text-examples'");
        assertEquals(4, both.size());
        for (String pair : both) assertEquals(pair.split(" ")[0], pair.split(" ")[1], pair);
        String html = Files.readString(store.settings().reportsRoot().resolve(Long.toString(id)).resolve("index.html"));
        assertTrue(html.contains("LLM vs VLM text-examples vectors"), "the LLM->VLM cosine chart");
    }

    @Test
    void everyNumberOfTheEmbeddedRunsReportIsItsViewsValue() throws Exception {
        String html = Files.readString(store.settings().reportsRoot().resolve(Long.toString(run)).resolve("index.html"));
        java.util.Map<String, taskvec.report.ViewTable> views = taskvec.report.ReportViews.load(store, run);
        int checked = 0;
        var cell = java.util.regex.Pattern.compile("data-view=\"(\\w+)\" data-row=\"(\\d+)\" data-col=\"(\\w+)\">([^<]*)<").matcher(html);
        while (cell.find()) {
            // the report stage wrote the page while the run and its own stage were still running: their timings differ now
            if (cell.group(1).equals("report_stages") || cell.group(1).equals("report_provenance")) continue;
            Object v = views.get(cell.group(1)).get(Integer.parseInt(cell.group(2)), cell.group(3));
            assertEquals(taskvec.report.Cells.format(v), cell.group(4), cell.group());
            checked++;
        }
        var point = java.util.regex.Pattern.compile("data-view=\"(\\w+)\" data-row=\"(\\d+)\" data-x-col=\"(\\w+)\" data-y-col=\"(\\w+)\""
                + " data-x=\"([^\"]*)\" data-y=\"([^\"]*)\"").matcher(html);
        while (point.find()) {
            taskvec.report.ViewTable t = views.get(point.group(1));
            int row = Integer.parseInt(point.group(2));
            assertEquals(taskvec.report.Cells.format(t.get(row, point.group(3))), point.group(5), point.group());
            assertEquals(taskvec.report.Cells.format(t.get(row, point.group(4))), point.group(6), point.group());
            checked += 2;
        }
        assertTrue(checked > 300, "numbers checked: " + checked);
    }
}
