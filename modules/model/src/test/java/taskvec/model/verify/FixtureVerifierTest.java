package taskvec.model.verify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.model.ModelLoadException;
import taskvec.model.RuntimeSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Every case of every model fixture passes through the same path users run (LoadedModel.load, run). */
class FixtureVerifierTest {

    private static final Path FIXTURES = Path.of("src/test/resources/fixtures");

    private static void verify(String name) {
        FixtureVerifier.Report report = FixtureVerifier.verify(FIXTURES.resolve(name), RuntimeSettings.defaults());
        System.out.println("fixture " + name);
        report.cases().forEach(c -> System.out.println("  " + c.line()));
        assertTrue(report.allPassed(), name + ": some cases fail");
        assertTrue(report.cases().size() > 0, name + ": no cases");
    }

    @Test
    void llavaClipLlama() {
        verify("llava-clip-llama");
    }

    @Test
    void llavaSiglipQwen2() {
        verify("llava-siglip-qwen2");
    }

    @Test
    void idefics2Mistral() {
        // text, patches, one image and three of two sizes ([a, b, a]), eps_sensitive, long_positions
        verify("idefics2-mistral");
    }

    @Test
    void llamaSharded() {
        verify("llama-sharded");
    }

    @Test
    void aWrongExpectationFailsItsCaseOnly(@TempDir Path dir) throws IOException {
        Path source = FIXTURES.resolve("llama-sharded");
        Files.createDirectories(dir.resolve("model"));
        for (String f : new String[] {"cases.json", "expected.safetensors"}) {
            Files.copy(source.resolve(f), dir.resolve(f));
        }
        try (Stream<Path> files = Files.list(source.resolve("model"))) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve("model").resolve(f.getFileName()));
            }
        }
        // the first case's greedy continuation starts 9, 9, 9: claim it starts 8
        Path cases = dir.resolve("cases.json");
        String json = Files.readString(cases);
        int at = json.indexOf("\"tokens\"");
        int open = json.indexOf('[', at);
        int firstDigit = open + 1;
        while (!Character.isDigit(json.charAt(firstDigit))) {
            firstDigit++;
        }
        assertEquals('9', json.charAt(firstDigit));
        Files.writeString(cases, json.substring(0, firstDigit) + "8" + json.substring(firstDigit + 1));
        FixtureVerifier.Report report = FixtureVerifier.verify(dir, RuntimeSettings.defaults());
        assertFalse(report.allPassed());
        assertFalse(report.cases().get(0).passed());
        assertTrue(report.cases().get(0).line().contains("generate.tokens"), report.cases().get(0).line());
        assertTrue(report.cases().stream().skip(1).allMatch(FixtureVerifier.CaseResult::passed));
    }

    @Test
    void aFolderWithoutCasesJson(@TempDir Path dir) {
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> FixtureVerifier.verify(dir, RuntimeSettings.defaults()));
        assertTrue(e.getMessage().contains(dir.resolve("cases.json").toString()), e.getMessage());
    }
}
