package taskvec.model.hooks;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import taskvec.model.RuntimeSettings;
import taskvec.model.runtime.LoadedModel;

import static org.junit.jupiter.api.Assertions.*;

class HookNameTest {

    @Test
    void pinsTheOrderedHookNamesOfTheTinyLlava() {
        List<String> expected = new ArrayList<>();
        expected.add("vision.hook_embed");
        for (int l = 0; l < 3; l++) {
            for (String site : HookName.BLOCK_SITES) {
                expected.add("vision.blocks." + l + "." + site);
            }
        }
        expected.add("vision.hook_features");
        expected.add("projector.hook_out");
        expected.add("hook_embed");
        for (int l = 0; l < 4; l++) {
            expected.add("blocks." + l + ".hook_resid_pre");
            expected.add("blocks." + l + ".hook_attn_out");
            expected.add("blocks." + l + ".hook_resid_mid");
            expected.add("blocks." + l + ".hook_mlp_out");
            expected.add("blocks." + l + ".hook_resid_post");
        }
        expected.add("ln_final.hook_normalized");
        try (LoadedModel model = LoadedModel.load(Path.of("src/test/resources/fixtures/llava-clip-llama/model"),
                RuntimeSettings.defaults())) {
            List<String> actual = model.hookNames().stream().map(HookName::value).toList();
            assertEquals(expected, actual);
        }
    }

    @Test
    void parsesAndPrints() {
        HookName h = HookName.parse("blocks.12.hook_resid_post");
        assertEquals(HookName.residPost(12), h);
        assertEquals(12, h.layer());
        assertEquals("hook_resid_post", h.site());
        assertEquals("blocks.12.hook_resid_post", h.toString());
        assertFalse(h.isVisionSide());
        HookName v = HookName.parse("vision.blocks.3.hook_mlp_out");
        assertEquals(3, v.layer());
        assertTrue(v.isVisionSide());
        assertEquals(-1, HookName.embed().layer());
        assertTrue(HookName.parse("projector.hook_out").isVisionSide());
        assertThrows(IllegalArgumentException.class, () -> HookName.parse("blocks.x.hook_resid_post"));
        assertThrows(IllegalArgumentException.class, () -> HookName.parse("blocks.1.hook_nothing"));
    }
}
