package taskvec.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import taskvec.store.Store;

class ReportWriterTest {

    static Store store;
    static long complete;
    static long failed;
    static ReportFiles completeFiles;
    static ReportFiles failedFiles;
    private static Document rendered;

    @BeforeAll
    static void writeReports() throws Exception {
        store = ReportFixtureRuns.openSharedStore();
        complete = ReportFixtureRuns.completeRun(store);
        failed = ReportFixtureRuns.failedRun(store, complete);
        Path root = Path.of(System.getenv().getOrDefault("TASKVEC_HOME", "target/test-home")).resolve("reports");
        completeFiles = ReportWriter.write(store, complete, root);
        failedFiles = ReportWriter.write(store, failed, root);
    }

    /** The complete run's page as Chromium renders it (the tests that need it are skipped where there is no Chromium). */
    static Document rendered() throws Exception {
        if (rendered == null) rendered = Jsoup.parse(HeadlessChromium.dumpDom(completeFiles.html()));
        return rendered;
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void chromiumRendersEverySectionAndEveryChartHasDataPoints() throws Exception {
        for (String id : ReportWriter.sections()) {
            Element section = rendered().getElementById(id);
            assertTrue(section != null, "section #" + id + " missing from the rendered page");
            assertTrue(section.select("p.empty").isEmpty(), "section #" + id + " says its data is missing: " + section.select("p.empty").text());
        }
        List<Element> charts = rendered().select("svg.chart");
        // layer curves (1 model), sample efficiency, 4 phase plots, heatmap, similarity by layer, map (2 panels), LLM-VLM, conflict
        assertEquals(12, charts.size(), "charts drawn");
        for (Element chart : charts) {
            assertFalse(chart.select(".point").isEmpty(), "chart '" + chart.select("title").first().text() + "' has no data points");
        }
        assertEquals(2, rendered().select("#layer-curves .chosen").size(), "the chosen layer is ringed on each curve");
        assertEquals(4 * 3 * ReportFixtureRuns.LAYERS, rendered().select("#phases .point").size(), "three phase curves per task and spec");
        assertEquals(4 * ReportFixtureRuns.LAYERS, rendered().select("#phases table[data-table=report_phase_tokens] tbody tr").size(),
                "top tokens for every layer of every phase plot");
        assertEquals(16, rendered().select("#similarity rect.cell").size(), "a 4 x 4 heatmap");
        assertEquals(24, rendered().select("#map .point").size());
        assertTrue(rendered().select("#closing").text().contains("the task word peaks at layer 2"), rendered().select("#closing").text());
        assertTrue(rendered().select("#closing").text().contains("the answer peaks at layer 5"), rendered().select("#closing").text());
        assertTrue(rendered().select("#main-table").text().contains("LLaVA-1.5-7B"), "the paper's model beside ours");
        assertEquals(0, rendered().select("script, link, img[src^=http]").size(), "self-contained: no scripts, no external resources");

        Path png = completeFiles.dir().resolve("index.png");
        HeadlessChromium.screenshot(completeFiles.html(), png);
        byte[] head = Files.readAllBytes(png);
        assertTrue(head.length > 10_000 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G', "a PNG screenshot beside the report");
    }

    @Test
    void everyNumberInTheHtmlEqualsItsSqlView() throws Exception {
        Map<String, ViewTable> fromSql = ReportViews.load(store, complete);
        int checked = 0;
        for (Element e : rendered().select("[data-view]")) {
            ViewTable t = fromSql.get(e.attr("data-view"));
            int row = Integer.parseInt(e.attr("data-row"));
            if (e.hasAttr("data-col")) {
                assertEquals(Cells.format(t.get(row, e.attr("data-col"))), e.text(), e.attr("data-view") + " row " + row + " " + e.attr("data-col"));
                checked++;
            } else {
                assertEquals(Cells.format(t.get(row, e.attr("data-x-col"))), e.attr("data-x"), e.attr("data-view") + " row " + row + " x");
                assertEquals(Cells.format(t.get(row, e.attr("data-y-col"))), e.attr("data-y"), e.attr("data-view") + " row " + row + " y");
                checked += 2;
            }
        }
        assertTrue(checked > 400, "numbers checked: " + checked);
        // numeric table cells all carry their view, row and column
        for (Element td : rendered().select("td.n")) assertEquals(1, td.select("span.num[data-view]").size(), "untagged number: " + td.outerHtml());
        // and the paper layout equals the numbers recomputed from the predictions themselves
        ViewTable layout = fromSql.get("report_paper_layout");
        assertEquals(1, layout.size());
        assertEquals(0.18, layout.number(0, "paper_text_prompt"), 1e-12);
        assertEquals(0.32, layout.number(0, "paper_text_patch"), 1e-12);
        assertEquals(0.125, layout.number(0, "no_context"), 1e-12, "per task: seed 1 none of 4, seed 2 one of 4 correct");
        assertEquals(0.75, layout.number(0, "llm_patch"), 1e-12, "three of four items");
        assertEquals(0.37, layout.number(0, "paper_llm_patch"), 1e-12);
        assertEquals(0.957, layout.number(0, "llm_cosine"), 1e-9, "seeds averaged at the LLM vectors' layer 3");
        assertEquals(0.625, layout.number(0, "majority"), 1e-12, "the most frequent first token: 2 of 4 and 3 of 4 items");
        assertEquals(0.14, layout.number(0, "paper_majority"), 1e-12);
        ViewTable llm = fromSql.get("report_llm_vlm_patch");
        assertEquals(List.of("country-capital", "country-currency", "average"),
                java.util.stream.IntStream.range(0, llm.size()).mapToObj(r -> llm.text(r, "task")).toList());
        assertEquals(0.75, llm.number(2, "accuracy"), 1e-12, "the LLM's vectors: three of four items in both tasks");
        String closing = rendered.select("section#closing").text();
        assertTrue(closing.contains("LLM→VLM") && closing.contains("0.370 for LLaVA-1.5-7B") && closing.contains("0.520 for Idefics2-8B"), closing);
        assertTrue(closing.contains("majority-class baseline") && closing.contains("0.625"), closing);
        assertTrue(closing.contains("Sample efficiency"), closing);
        ViewTable curve = fromSql.get("report_sample_efficiency");
        assertEquals(7, curve.size(), "n = 5, 10, 15 for examples; 0 (the instruction), 5, 10, 15 for the ensemble");
        assertEquals(0, ((Number) curve.get(0, "examples")).intValue());
        assertEquals(0.25, curve.number(0, "accuracy"), 1e-12, "the instruction alone");
    }

    @Test
    void theReportOfAFailedResumedRunSaysWhatFailedAndWhatWasReused() throws Exception {
        Document d = Jsoup.parse(failedFiles.html().toFile(), "UTF-8");
        String failedText = d.getElementById("what-failed").text();
        assertTrue(failedText.contains("stage(s) evaluate"), failedText);
        assertTrue(failedText.contains("stage evaluate: 1 work item failed"), failedText);
        assertTrue(d.select("table[data-table=report_failures]").text().contains("out of memory while patching layer 15"));
        String reused = d.getElementById("reused").text();
        assertEquals("Reused: capture (from run " + complete + ").", reused);
        assertEquals("Run again (resumed): evaluate (attempts: 2); their done work items were kept, the rest ran again.",
                d.getElementById("resumed").text());
        String md = Files.readString(failedFiles.markdown(), StandardCharsets.UTF_8);
        assertTrue(md.contains("| capture | reused |"), md);
        assertTrue(md.contains("What failed: stage(s) evaluate: stage evaluate: 1 work item failed."), md);
        assertTrue(md.contains("Reused: capture (from run " + complete + ")."), md);
        assertTrue(md.contains("Run again (resumed): evaluate (attempts: 2)."), md);
        assertTrue(md.contains("out of memory while patching layer 15"), md);
        assertTrue(d.getElementById("layer-curves").select("p.empty").size() == 1, "no results: said, not drawn");

        Document ok = Jsoup.parse(completeFiles.html().toFile(), "UTF-8");
        assertEquals("Nothing failed.", ok.getElementById("what-failed").text());
    }

    @Test
    void everyViewHasItsCsvWithAHeaderAndOneLinePerRow() throws Exception {
        assertEquals(ReportViews.ALL.size(), completeFiles.csvs().size());
        List<String> lines = Files.readAllLines(completeFiles.dir().resolve("report_phases.csv"));
        assertEquals("run_id,model,task,spec,modality,layer,probe,token,probability,prompts", lines.get(0));
        assertEquals(1 + 2 * 2 * ReportFixtureRuns.LAYERS * 3, lines.size());
    }

    @Test
    void reportMdCopiesTextFromTheDataAsLiteralText(@org.junit.jupiter.api.io.TempDir Path out) throws Exception {
        String hostile = "<img src=x onerror=alert(1)> [click](javascript:alert(2)) | *bold*\n# heading";
        long id = store.runs().create(new taskvec.store.repo.NewRun(hostile, "{\"study\":{\"tasks\":[\"t\"]}}", "test", null, null,
                "cpu", "float32"));
        store.runs().setStatus(id, taskvec.store.repo.Status.FAILED, "error with `code` and <b>tags</b>");
        String md = Files.readString(ReportWriter.write(store, id, out).markdown(), StandardCharsets.UTF_8);
        String title = md.lines().findFirst().orElseThrow();
        assertEquals("# taskvec report: \\<img src=x onerror=alert(1)\\> \\[click\\](javascript:alert(2)) \\| \\*bold\\* # heading"
                + " (run " + id + ")", title);
        assertTrue(md.contains("error with \\`code\\` and \\<b\\>tags\\</b\\>"), md);
        assertFalse(title.replace("\\<", "").contains("<"), "no unescaped tag: " + title);
    }

    @Test
    void anUnknownRunIsRefusedByNumber() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReportWriter.write(store, 987654321L, Path.of("target/unused")));
        assertEquals("run 987654321: no such run", e.getMessage());
    }
}
