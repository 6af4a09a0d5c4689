package taskvec.report;

import java.nio.file.Path;
import java.util.List;

/** What a report wrote: its folder, index.html, report.md and one CSV per view. */
public record ReportFiles(Path dir, Path html, Path markdown, List<Path> csvs) {}
