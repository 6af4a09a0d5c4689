package taskvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static taskvec.cli.CliRun.run;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import taskvec.cli.CliRun.Result;
import taskvec.cli.common.ExitCodes;
import taskvec.store.DbSettings;
import taskvec.store.repo.NewRun;

/** taskvec report RUN against the embedded server of the shared test home. */
class ReportCommandTest extends HeldServerTest {


    @Test
    void writesTheRunsFolderWithHtmlMarkdownAndCsvs() throws Exception {
        long id = held.runs().create(new NewRun("report cli", "{\"study\":{\"tasks\":[\"country-capital\"]}}", "test", null, null,
                "cpu", "float32"));
        Path out = Files.createTempDirectory("taskvec-reports");
        Result r = run("report", Long.toString(id), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Path dir = out.resolve(Long.toString(id));
        assertTrue(r.out().contains(dir.resolve("index.html").toString()), r.out());
        String html = Files.readString(dir.resolve("index.html"));
        assertTrue(html.contains("taskvec report: report cli"), html);
        assertTrue(Files.isRegularFile(dir.resolve("report.md")));
        assertTrue(Files.isRegularFile(dir.resolve("report_main_table.csv")));
    }

    @Test
    void withoutOutTheReportGoesUnderTheHome() throws Exception {
        long id = held.runs().create(new NewRun("report home", "{\"study\":{\"tasks\":[\"country-capital\"]}}", "test", null, null,
                "cpu", "float32"));
        Result r = run("report", Long.toString(id));
        assertEquals(0, r.code(), r.err());
        Path dir = DbSettings.home(System.getenv()).resolve("reports").resolve(Long.toString(id));
        assertTrue(r.out().contains(dir.resolve("index.html").toString()), r.out());
        assertTrue(Files.isRegularFile(dir.resolve("report.md")));
    }

    @Test
    void anUnknownRunIsExitCodeTwoWithAMessage() {
        Result r = run("report", "987654321", "--out", "target/unused-reports");
        assertEquals(ExitCodes.INVALID_INPUT, r.code());
        assertTrue(r.err().contains("taskvec: run 987654321: no such run"), r.err());
    }
}
