package taskvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** taskvec doctor's CPU part: every model fixture in float32 and float16 passes; without a GPU it says so, exit 0. */
class DoctorCommandTest {

    @Test
    void theCpuPartPassesAndSaysTheGpuPartWasSkipped() {
        CliRun.Result r = CliRun.run("doctor");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("engine          DJL 0.36.0, PyTorch 2.7.1"), r.out());
        for (String fixture : new String[] {"llava-clip-llama", "llava-siglip-qwen2", "llama-sharded"}) {
            for (String dtype : new String[] {"float32 ", "float16 "}) {
                assertTrue(r.out().matches("(?s).*cpu      " + dtype + " " + fixture + " .* PASS\n.*"), dtype + fixture + ": " + r.out());
            }
        }
        assertTrue(r.out().contains("of the tolerance x1000"), r.out());
        assertTrue(r.out().contains("no GPU: the GPU checks"), r.out());
    }

    @Test
    void aWrongExpectationIsADifference(@TempDir Path dir) throws Exception {
        Path src = SmallStudy.ROOT.resolve("modules/model/src/test/resources/fixtures/llama-sharded");
        Path copy = Files.createDirectories(dir.resolve("fixtures/llama-sharded/model"));
        try (var files = Files.list(src.resolve("model"))) {
            for (Path f : files.toList()) Files.copy(f, copy.resolve(f.getFileName()));
        }
        Files.copy(src.resolve("expected.safetensors"), copy.getParent().resolve("expected.safetensors"));
        // a tolerance a thousand times tighter than float32 can meet
        Files.writeString(copy.getParent().resolve("cases.json"), Files.readString(src.resolve("cases.json"))
                .replaceFirst("\"abs\": *0.0002", "\"abs\": 2e-10").replaceFirst("\"rel\": *0.0002", "\"rel\": 2e-10"));
        CliRun.Result r = CliRun.run("doctor", "--fixtures", dir.resolve("fixtures").toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("FAIL"), r.out());
        CliRun.Result none = CliRun.run("doctor", "--fixtures", dir.resolve("nothing").toString());
        assertEquals(2, none.code(), none.out() + none.err());
        assertTrue(none.err().contains("not a folder"), none.err());
    }
}
