package taskvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static taskvec.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.List;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.cli.CliRun.Result;

/** taskvec run / status / explain / resume on the small study, and bad input that writes nothing. */
class RunCommandTest extends HeldServerTest {
    @TempDir static Path dir;

    @Test
    void runPrintsASummaryAndASecondRunReusesEverything() throws Exception {
        Path study = SmallStudy.write(dir, "cli-small", "");
        Result first = run("run", study.toString(), "--fresh", "--name", "cli-first");
        assertEquals(0, first.code(), first.out() + first.err());
        long id = SmallStudy.runId(first.out());
        assertTrue(first.out().contains("run " + id + ": done"), first.out());
        assertTrue(first.out().contains("database: embedded PostgreSQL on port"), first.out());
        assertTrue(first.out().contains("psql -h localhost -p"), first.out());
        assertTrue(first.out().contains("| average"), "the main table: " + first.out());
        assertTrue(first.out().contains("majority-class baseline (the most frequent first-token answer per task on test"), first.out());
        assertTrue(first.out().contains("| majority"), "the main table's majority column: " + first.out());
        assertTrue(first.out().contains("sample efficiency"), first.out());
        Result second = run("run", study.toString(), "--name", "cli-second");
        assertEquals(0, second.code(), second.out() + second.err());
        assertTrue(second.out().contains("work items reused from earlier runs with the same keys (nothing recomputed)"), second.out());

        Result status = run("status", Long.toString(id));
        assertEquals(0, status.code(), status.err());
        assertTrue(status.out().contains("evaluate | done"), status.out());
        Result explain = run("explain", Long.toString(id), "capture");
        assertEquals(0, explain.code(), explain.err());
        assertTrue(explain.out().contains("in this run: done, inputs unchanged since"), explain.out());
        JsonNode explained = JsonOutputTest.json(run("explain", "--json", Long.toString(id)));
        assertEquals(List.of("run", "stages"), JsonOutputTest.keys(explained));
        assertEquals(7, explained.get("stages").size());
        JsonNode capture = explained.get("stages").get(1);
        assertEquals(List.of("stage", "key", "status_in_run", "changed_since_run", "reused_from_run", "compared_run",
                "changed_from_compared", "items"), JsonOutputTest.keys(capture));
        assertEquals(List.of("planned", "finished_in_run", "reusable", "to_run", "failed_in_run"), JsonOutputTest.keys(capture.get("items")));
        assertEquals("capture", capture.get("stage").asText());
        assertEquals("done", capture.get("status_in_run").asText());
        assertEquals(0, capture.get("changed_since_run").size());
        assertEquals(0, capture.get("items").get("to_run").asInt());
        assertEquals(capture.get("items").get("planned").asInt(), capture.get("items").get("finished_in_run").asInt());
        Result resume = run("resume", Long.toString(id));
        assertEquals(0, resume.code(), resume.err());
    }

    @Test
    void aMissingImageIsRefusedBeforeTheRunStarts() throws Exception {
        Path data = SmallStudy.copyData(dir.resolve("data-missing-image"));
        Files.delete(data.resolve("images/w22.png"));
        Path src = SmallStudy.ROOT.resolve("data/fixture-study");
        Path study = dir.resolve("missing-image.yaml");
        Files.writeString(study, Files.readString(SmallStudy.write(dir, "tmp-missing", "")).replace(src.toString(), data.toString()));
        // once a failed item of a run (three attempts, exit 1); now the input check names it before anything starts
        assertBadInput(data.resolve("annotations/pair-first_test.json") + ": item 'w22': image 'images/w22.png': image file does not exist",
                "run", study.toString(), "--fresh", "--name", "cli-missing-image");
    }

    private static long runs() {
        return SmallStudy.scalar(held, "SELECT count(*) FROM runs");
    }

    private static void assertBadInput(String expected, String... args) {
        long before = runs();
        Result r = run(args);
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertEquals(before, runs(), "nothing written");
    }

    @Test
    void anUnknownKeyOrImpossibleValueIsBadInput() throws Exception {
        assertBadInput("shots_per_prompt", "run", SmallStudy.write(dir, "unknown-key", "shots_per_prompt: 3").toString());
        Path impossible = SmallStudy.write(dir, "impossible", "layers: [0, 7]");
        assertBadInput("layers[1]: layer 7 does not exist", "run", impossible.toString());
    }

    @Test
    void aModelFolderThatDoesNotLoadIsBadInput() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("not-a-model"));
        assertBadInput("not-a-model", "run", SmallStudy.write(dir, "no-model", "").toString(), "--model-dir", empty.toString());
    }

    @Test
    void aDatasetFileThatDoesNotParseIsBadInput() throws Exception {
        Path data = Files.createDirectories(dir.resolve("broken-data/annotations"));
        Files.writeString(data.resolve("pair-first_val.json"), "[{\"input\": \"w10\", \"output\": ");
        Files.writeString(data.resolve("pair-first_test.json"), "[]");
        String study = Files.readString(SmallStudy.write(dir, "broken", ""))
                .replace(SmallStudy.ROOT.resolve("data/fixture-study").toString(), dir.resolve("broken-data").toString());
        Path file = dir.resolve("broken-data.yaml");
        Files.writeString(file, study);
        assertBadInput("pair-first_val.json", "run", file.toString());
    }

    @Test
    void anUnreachableDatabaseIsBadInput() throws Exception {
        assertBadInput("cannot connect to the database", "run", SmallStudy.write(dir, "db", "").toString(),
                "--db", "jdbc:postgresql://127.0.0.1:9/taskvec?user=nobody&connectTimeout=2");
    }
}
