package taskvec.model.verify;

import org.junit.jupiter.api.Test;
import taskvec.model.RuntimeSettings;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void llamaSharded() {
        verify("llama-sharded");
    }
}
