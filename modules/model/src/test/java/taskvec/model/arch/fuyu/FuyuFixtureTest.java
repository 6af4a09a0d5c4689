package taskvec.model.arch.fuyu;

import org.junit.jupiter.api.Test;
import taskvec.model.RuntimeSettings;
import taskvec.model.verify.FixtureVerifier;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/** Every case of the fuyu-persimmon fixture passes through the path users run (LoadedModel.load, run). */
class FuyuFixtureTest {

    static final Path FIXTURE = Path.of("src/test/resources/fixtures/fuyu-persimmon");

    @Test
    void everyCasePasses() {
        FixtureVerifier.Report report = FixtureVerifier.verify(FIXTURE, RuntimeSettings.defaults());
        report.cases().forEach(c -> System.out.println("  " + c.line()));
        Map<String, FixtureVerifier.CaseResult> byName = report.cases().stream()
                .collect(Collectors.toMap(FixtureVerifier.CaseResult::name, c -> c));
        assertEquals(List.of("text", "text_patch_mid", "image", "image_patch_last", "two_images", "eps_sensitive",
                "long_positions"), report.cases().stream().map(FixtureVerifier.CaseResult::name).toList());
        for (FixtureVerifier.CaseResult c : report.cases()) {
            assertTrue(c.passed(), c.line());
            assertTrue(c.maxError() <= 1.0, c.line());
        }
        // the vision side is checked on its own, not only through the logits
        assertTrue(checks(byName.get("image")).containsAll(List.of("image_patches", "image_embeds", "layer_out",
                "logits", "logit_lens", "generate.tokens")), checks(byName.get("image")).toString());
        assertTrue(checks(byName.get("two_images")).contains("image_embeds"));
    }

    @Test
    void hookSitesInForwardOrder() {
        try (taskvec.model.runtime.LoadedModel model = taskvec.model.runtime.LoadedModel.load(FIXTURE.resolve("model"),
                RuntimeSettings.defaults())) {
            List<String> names = model.hookNames().stream().map(Object::toString).toList();
            assertEquals(List.of("vision.hook_patches", "projector.hook_out", "hook_embed", "blocks.0.hook_resid_pre"),
                    names.subList(0, 4));
            assertEquals("ln_final.hook_normalized", names.get(names.size() - 1));
            assertEquals(4 + 3 * 5 - 1 + 1, names.size()); // vision 2, embed, 3 blocks x 5 sites, final norm
            assertTrue(model.info().hasVision());
            assertEquals(95, model.info().imageTokenId());
        }
    }

    private static List<String> checks(FixtureVerifier.CaseResult c) {
        return c.checks().stream().map(FixtureVerifier.Check::name).toList();
    }
}
