package taskvec.cli.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.cli.CliRun;
import taskvec.cli.common.ExitCodes;
import taskvec.model.safetensors.DType;
import taskvec.model.safetensors.SafetensorsFile;
import taskvec.model.safetensors.SafetensorsWriter;

class ModelCommandTest {

    static final Path FIXTURES = Path.of(System.getProperty("taskvec.fixtures"));

    static CliRun.Result taskvec(String... args) {
        return CliRun.run(args);
    }

    @Test
    void verifyPassesEveryFixtureFolder() throws IOException {
        try (Stream<Path> dirs = Files.list(FIXTURES)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                CliRun.Result o = taskvec("model", "verify", "--fixture", dir.toString());
                System.out.print(o.out());
                assertEquals(ExitCodes.OK, o.code(), dir + "\n" + o.out() + o.err());
                assertTrue(o.out().contains("PASS") && !o.out().contains("FAIL"), o.out());
            }
        }
    }

    @Test
    void verifyFailsWhenAnExpectedValueIsWrong(@TempDir Path tmp) throws IOException {
        Path copy = copyTree(FIXTURES.resolve("llama-sharded"), tmp.resolve("llama-sharded"));
        // Shift one expected logit far outside the tolerance: that case, and only the cases using it, must fail.
        Path expected = copy.resolve("expected.safetensors");
        SafetensorsWriter w = new SafetensorsWriter();
        try (SafetensorsFile f = SafetensorsFile.open(expected)) {
            for (String name : f.names()) {
                double[] v = f.readDoubles(name);
                if (name.equals("text/logits")) v[0] += 1.0;
                w.add(name, DType.F64, f.info(name).shape(), v);
            }
        }
        Files.delete(expected);
        w.write(expected);
        CliRun.Result o = taskvec("model", "verify", "--fixture", copy.toString());
        assertEquals(ExitCodes.FAILED, o.code(), o.out());
        assertTrue(o.out().lines().anyMatch(l -> l.startsWith("text ") && l.contains("FAIL")), o.out());
    }

    @Test
    void verifyOfAFolderWithoutCasesIsBadInput(@TempDir Path tmp) {
        CliRun.Result o = taskvec("model", "verify", "--fixture", tmp.toString());
        assertEquals(ExitCodes.INVALID_INPUT, o.code());
        assertTrue(o.err().contains("cases.json"), o.err());
    }

    @Test
    void infoPrintsArchitectureSizesAndHashes() {
        Path dir = FIXTURES.resolve("llava-clip-llama/model");
        CliRun.Result o = taskvec("model", "info", dir.toString());
        assertEquals(ExitCodes.OK, o.code(), o.err());
        assertTrue(o.out().contains("llava (clip vision tower, llama decoder)"), o.out());
        assertTrue(o.out().contains("layers          4"), o.out());
        assertTrue(o.out().lines().anyMatch(l -> l.matches("\\s+[0-9a-f]{64}  model\\.safetensors")), o.out());
    }

    @Test
    void infoTakesTheOrganismsLanguageModelAsALlamaModel() {
        Path dir = Path.of(System.getProperty("taskvec.root", "../..")).toAbsolutePath().normalize().resolve("data/organism-llm");
        CliRun.Result o = taskvec("model", "info", dir.toString());
        assertEquals(ExitCodes.OK, o.code(), o.err());
        assertTrue(o.out().lines().anyMatch(l -> l.startsWith("architecture") && l.contains("llama") && !l.contains("llava")), o.out());
        assertTrue(o.out().contains("layers          4"), o.out());
    }

    @Test
    void infoDescribesAnIdefics2Folder() {
        Path dir = FIXTURES.resolve("idefics2-mistral/model");
        CliRun.Result o = taskvec("model", "info", dir.toString());
        assertEquals(ExitCodes.OK, o.code(), o.err());
        assertTrue(o.out().contains("idefics2 (NaViT SigLIP vision tower, perceiver connector, mistral decoder)"), o.out());
        assertTrue(o.out().contains("vision          2 layers, width 32, 4 heads, patch 7, any image size on a 8x8 position table"),
                o.out());
        assertTrue(o.out().contains("connector       modality projection 32 -> 96 -> 48, perceiver of 8 latents, depth 2,"
                + " 4 heads over 2 key/value heads (head dim 12), rms_norm_eps 1.0E-5"), o.out());
        assertTrue(o.out().contains("image token     95, 8 positions per crop"), o.out());
        assertTrue(o.out().contains("parameters      176,288"), o.out());
    }

    @Test
    void generateContinuesAPrompt() {
        Path dir = FIXTURES.resolve("llama-sharded/model");
        CliRun.Result o = taskvec("model", "generate", dir.toString(), "--prompt", "Q:w10\\nA:", "--max-new-tokens", "3");
        assertEquals(ExitCodes.OK, o.code(), o.err());
        assertTrue(o.out().lines().anyMatch(l -> l.matches("generated ids\\s+\\[\\d+, \\d+, \\d+\\]")), o.out());
    }

    static Path copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
        return to;
    }
}
