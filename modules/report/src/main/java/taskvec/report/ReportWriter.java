package taskvec.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import taskvec.store.Store;

/**
 * Writes the report of one run into {@code <reportsRoot>/<runId>/}: index.html (self-contained,
 * inline SVG), report.md and a CSV per report view, all from the store's report views.
 */
public final class ReportWriter {
    private ReportWriter() {}

    public static ReportFiles write(Store store, long runId, Path reportsRoot) {
        Map<String, ViewTable> views = ReportViews.load(store, runId);
        Path dir = reportsRoot.resolve(Long.toString(runId));
        try {
            Files.createDirectories(dir);
            Path html = dir.resolve("index.html");
            Files.writeString(html, HtmlReport.render(runId, views), StandardCharsets.UTF_8);
            Path md = dir.resolve("report.md");
            Files.writeString(md, MarkdownReport.render(runId, views), StandardCharsets.UTF_8);
            List<Path> csvs = CsvFiles.write(views, dir);
            return new ReportFiles(dir, html, md, csvs);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the report of run " + runId + " into " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The section ids of index.html, in order. */
    public static List<String> sections() {
        return HtmlReport.SECTIONS;
    }
}
