package taskvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static taskvec.cli.CliRun.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.cli.CliRun.Result;
import taskvec.cli.common.ExitCodes;

/**
 * Inputs a careless or hostile user might give `run` and `study check`: each is exit 2 with a
 * message naming the file and the problem, writes no run row, and is answered within seconds.
 */
class BadInputTest extends HeldServerTest {
    static final Path FIXTURE_DATA = SmallStudy.ROOT.resolve("data/fixture-study");
    static final Path FIXTURE_MODEL = SmallStudy.ROOT.resolve("modules/model/src/test/resources/fixtures/llava-clip-llama/model");

    @TempDir Path dir;

    /** The small study on a copy of the fixture data (and optionally of the model), for a test to break. */
    private Path study(Path data, Path model, String extra) throws IOException {
        String text = Files.readString(SmallStudy.write(dir, "base", extra))
                .replace(FIXTURE_DATA.toString(), data.toString()).replace(FIXTURE_MODEL.toString(), model.toString());
        Path file = dir.resolve("study.yaml");
        Files.writeString(file, text);
        return file;
    }

    private Path data() throws IOException {
        return SmallStudy.copyData(dir.resolve("data"));
    }

    private Path model(String from, String to) throws IOException {
        Path model = Files.createDirectories(dir.resolve("model"));
        for (String f : List.of("model.safetensors", "preprocessor_config.json", "tokenizer.json")) {
            Files.copy(FIXTURE_MODEL.resolve(f), model.resolve(f));
        }
        String config = Files.readString(FIXTURE_MODEL.resolve("config.json"));
        assertTrue(config.contains(from), from);
        Files.writeString(model.resolve("config.json"), config.replace(from, to));
        return model;
    }

    private void replaceInFile(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertTrue(text.contains(from), from);
        Files.writeString(file, text.replace(from, to));
    }

    private static long runs() {
        return SmallStudy.scalar(held, "SELECT count(*) FROM runs");
    }

    /** Exit 2, every expected piece in the message, no run row, and an answer within seconds: for `run` and `study check`. */
    private static void refused(Path study, String... expected) {
        for (String command : new String[] {"run", "study check"}) {
            long before = runs();
            long start = System.nanoTime();
            List<String> args = new ArrayList<>(Arrays.asList(command.split(" ")));
            args.add(study.toString());
            Result r = run(args.toArray(String[]::new));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(ExitCodes.INVALID_INPUT, r.code(), command + ": " + r.out() + r.err());
            for (String e : expected) assertTrue(r.err().contains(e), command + ": expected '" + e + "' in: " + r.err());
            assertEquals(before, runs(), command + ": nothing written");
            assertTrue(millis < 15_000, command + " took " + millis + " ms");
        }
    }

    private Path annotations(Path data) {
        return data.toAbsolutePath().resolve("annotations/pair-first_val.json");
    }

    @Test
    void imagePathsThatLeaveTheDatasetAreRefused() throws IOException {
        Path data = data();
        Path val = annotations(data);
        Path elsewhere = Files.copy(FIXTURE_DATA.resolve("images/w10.png"), dir.resolve("elsewhere.png"));
        String original = Files.readString(val);
        String[][] cases = {
                {"../../../../etc/passwd", "'../../../../etc/passwd' leads outside the dataset root"},
                {"/etc/hostname", "'/etc/hostname' is absolute; image paths are relative to the dataset root"},
                {elsewhere.toString(), "'" + elsewhere + "' is absolute; image paths are relative to the dataset root"},
        };
        Path study = study(data, FIXTURE_MODEL, "");
        for (String[] c : cases) {
            Files.writeString(val, original.replace("images/w10.png", c[0]));
            refused(study, val + ": [0]: image: " + c[1]);
        }
        Files.writeString(val, original);
        Path link = data.resolve("images/w10.png");
        Files.delete(link);
        Files.createSymbolicLink(link, Path.of("/etc/passwd"));
        refused(study, val + ": [0]: image: 'images/w10.png' is a link to /etc/passwd, outside the dataset root");
    }

    @Test
    void aTaskNameWithAPathIsRefused() throws IOException {
        Path study = study(data(), FIXTURE_MODEL, "");
        replaceInFile(study, "tasks: [pair-first]", "tasks: [\"../../fixture-study/annotations/pair-first\"]");
        replaceInFile(study, "instructions: {pair-first: ", "instructions: {\"../../fixture-study/annotations/pair-first\": ");
        refused(study, study + ": tasks[0]: task name '../../fixture-study/annotations/pair-first' must be 1-64 letters, digits");
    }

    @Test
    void eachLimitIsRefusedWithItsBound() throws IOException {
        Path data = data();
        refused(study(data, FIXTURE_MODEL, "decoding: {max_new_tokens: 1000000000}"),
                "decoding.max_new_tokens: must be at most 64, got 1000000000");
        refused(study(data, FIXTURE_MODEL, "layers: [5000]"), "layers[0]: must be at most 1023, got 5000");
        Path seeds = study(data, FIXTURE_MODEL, "");
        replaceInFile(seeds, "seeds: [1]", "seeds: [" + String.join(", ", IntStream.rangeClosed(1, 40).mapToObj(Integer::toString).toList()) + "]");
        refused(seeds, seeds + ": seeds: 40 entries, more than the limit of 32");
        Path shots = study(data, FIXTURE_MODEL, "");
        replaceInFile(shots, "shots: 3", "shots: 1000");
        refused(shots, shots + ": shots: must be at most 64, got 1000");
    }

    @Test
    void promptsLongerThanTheModelsContextAreRefused() throws IOException {
        Path model = model("\"max_position_embeddings\": 512", "\"max_position_embeddings\": 24");
        Path data = data();
        Path study = study(data, model, "");
        // `study check` reads the same config.json, so both name the limit
        refused(study, annotations(data) + ": item 'w10': context prompt (text-examples, task pair-first, val, item w10, seed 1): "
                + "38 tokens + 1 new exceed the target model's max_position_embeddings 24");
    }

    @Test
    void duplicateKeysAreRefused() throws IOException {
        Path study = study(data(), FIXTURE_MODEL, "shots: 2");
        refused(study, study + ": not valid YAML: duplicate key 'shots'");
    }

    @Test
    void aHugeStudyFileIsRefusedByItsSizeAtOnce() throws IOException {
        refused(hugeScalar(dir.resolve("huge.yaml")), "bytes, more than a study file may have (1048576 bytes");
    }

    static Path hugeScalar(Path file) throws IOException {
        try (var out = Files.newBufferedWriter(file)) {
            out.write("models: {target: {dir: /m}}\nname: \"");
            char[] chunk = new char[1 << 20];
            Arrays.fill(chunk, 'a');
            for (int i = 0; i < 50; i++) out.write(chunk);
            out.write("\"\n");
        }
        return file;
    }

    @Test
    void untokenizableAnswersAndUndecodableImagesAreAllListed() throws IOException {
        Path data = data();
        Path val = annotations(data);
        Path test = data.toAbsolutePath().resolve("annotations/pair-first_test.json");
        replaceInFile(val, "\"output\": \"w41\"", "\"output\": \"Zebra\"");
        replaceInFile(val, "\"output\": \"w43\"", "\"output\": \"w43 okapi\"");
        Files.writeString(data.resolve("images/w21.png"), "not a png");
        refused(study(data, FIXTURE_MODEL, ""), "the study's inputs have 3 problems:",
                test + ": item 'w21': image 'images/w21.png': not an image in a readable format",
                val + ": item 'w11': answer 'Zebra' has text the target model's tokenizer does not know (it becomes <unk>)",
                val + ": item 'w13': answer 'w43 okapi' has text the target model's tokenizer does not know");
    }

    @Test
    void aHugeHiddenSizeIsNamedNotTruncated() throws IOException {
        Path model = model("\"hidden_size\": 64", "\"hidden_size\": 1099511627776");
        Path study = study(data(), model, "");
        refused(study, model.resolve("config.json") + ": text_config.hidden_size: 1099511627776 is outside the sane range 1..65536");
    }

    /** A bad study file never starts the embedded server: a fresh home stays empty (a child JVM, for its own TASKVEC_HOME). */
    @Test
    void aBadStudyFileStartsNoServer() throws Exception {
        Path home = dir.resolve("home");
        Path duplicate = study(data(), FIXTURE_MODEL, "shots: 2");
        Path huge = hugeScalar(dir.resolve("huge.yaml"));
        for (Path study : List.of(duplicate, huge)) {
            Path log = dir.resolve("child.log");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dai.djl.offline=true", "-Dtaskvec.root=" + SmallStudy.ROOT, "-cp", System.getProperty("java.class.path"),
                    "taskvec.cli.Main", "run", study.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("TASKVEC_HOME", home.toString());
            pb.environment().remove("TASKVEC_DB");
            Process p = pb.start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child answers");
            assertEquals(ExitCodes.INVALID_INPUT, p.exitValue(), Files.readString(log));
            assertTrue(Files.readString(log).contains(study.toString()), Files.readString(log));
            assertFalse(Files.exists(home.resolve("db")), "no server was initialised: " + Files.readString(log));
        }
    }
}
