package taskvec.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.model.hooks.Capture;
import taskvec.model.runtime.LoadedModel;
import taskvec.model.verify.FixtureVerifier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The same checkpoint with its config.json in the layout of transformers 5 ({@code rope_parameters}) and in the
 * earlier one ({@code rope_theta} / {@code rope_scaling}) runs to identical outputs.
 */
class ConfigLayoutsTest {

    private static final Path FIXTURES = Path.of("src/test/resources/fixtures");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A copy of a fixture folder (model/, cases, expected values) with its config.json edited. */
    private static Path copyWithConfig(String fixture, Path to, Consumer<ObjectNode> edit) throws IOException {
        Path source = FIXTURES.resolve(fixture);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(source.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        Path config = to.resolve("model/config.json");
        ObjectNode root = (ObjectNode) JSON.readTree(config.toFile());
        edit.accept(root);
        JSON.writerWithDefaultPrettyPrinter().writeValue(config.toFile(), root);
        return to;
    }

    /** Moves rope_theta and rope_scaling of one config object into rope_parameters, as transformers 5 saves them. */
    private static void toRopeParameters(ObjectNode text) {
        ObjectNode parameters = JSON.createObjectNode();
        if (text.has("rope_scaling")) {
            parameters.setAll((ObjectNode) text.remove("rope_scaling"));
        } else {
            parameters.put("rope_type", "default");
        }
        parameters.set("rope_theta", text.remove("rope_theta"));
        text.set("rope_parameters", parameters);
    }

    private static ObjectNode llama3Scaling() {
        ObjectNode s = JSON.createObjectNode();
        s.put("rope_type", "llama3");
        s.put("factor", 8.0);
        s.put("low_freq_factor", 1.0);
        s.put("high_freq_factor", 4.0);
        s.put("original_max_position_embeddings", 16);
        return s;
    }

    /** Every layer's residual at every position, the last logits and a greedy continuation of a text prompt. */
    private static List<float[]> outputs(Path modelDir, String text) {
        try (LoadedModel model = LoadedModel.load(modelDir, RuntimeSettings.defaults())) {
            EncodedPrompt prompt = model.encode(text, List.of(), OptionalInt.empty());
            List<Capture> captures = new ArrayList<>();
            for (int l = 0; l < model.numLayers(); l++) {
                for (int p = 0; p < prompt.length(); p++) {
                    captures.add(Capture.residPost(l, p));
                }
            }
            RowResult r = model.run(List.of(new Row(prompt, List.of(), captures, 4, java.util.Set.of()))).get(0);
            List<float[]> out = new ArrayList<>();
            captures.forEach(c -> out.add(r.captured().get(c)));
            out.add(r.lastLogits());
            float[] generated = new float[r.generated().length];
            for (int i = 0; i < generated.length; i++) {
                generated[i] = r.generated()[i];
            }
            out.add(generated);
            return out;
        }
    }

    private static void assertIdentical(List<float[]> expected, List<float[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), 0f, "output " + i);
        }
    }

    @Test
    void ropeParametersInTextConfigReadLikeRopeTheta(@TempDir Path dir) throws IOException {
        // Qwen2 with rope_theta 1e6 inside text_config: unread, theta would fall back to 10000 and every value move
        Path legacy = FIXTURES.resolve("llava-siglip-qwen2");
        Path v5 = copyWithConfig("llava-siglip-qwen2", dir.resolve("v5"),
                root -> toRopeParameters((ObjectNode) root.get("text_config")));
        assertTrue(Files.readString(v5.resolve("model/config.json")).contains("rope_parameters"));
        assertTrue(FixtureVerifier.verify(v5, RuntimeSettings.defaults()).allPassed(), "the fixture's cases in the v5 layout");
        String text = "Q : w3 w4 w5 A :";
        assertIdentical(outputs(legacy.resolve("model"), text), outputs(v5.resolve("model"), text));
    }

    @Test
    void llama3ScalingReadsTheSameFromRopeScalingAndRopeParameters(@TempDir Path dir) throws IOException {
        Path legacy = copyWithConfig("llama-sharded", dir.resolve("legacy"),
                root -> root.set("rope_scaling", llama3Scaling()));
        Path v5 = copyWithConfig("llama-sharded", dir.resolve("v5"), root -> {
            root.set("rope_scaling", llama3Scaling());
            toRopeParameters(root);
        });
        String text = tokenTexts(FIXTURES.resolve("llama-sharded/model"), 40);
        List<float[]> scaled = outputs(legacy.resolve("model"), text);
        assertIdentical(scaled, outputs(v5.resolve("model"), text));
        // and the scaling is applied: past the first position the unscaled checkpoint differs
        List<float[]> plain = outputs(FIXTURES.resolve("llama-sharded/model"), text);
        assertFalse(java.util.Arrays.equals(plain.get(plain.size() - 2), scaled.get(scaled.size() - 2)),
                "llama3 scaling must change the last logits");
    }

    /** A prompt of n vocabulary words of a fixture's tokenizer (long enough for low RoPE frequencies to matter). */
    private static String tokenTexts(Path modelDir, int n) throws IOException {
        List<String> words = new ArrayList<>();
        JSON.readTree(modelDir.resolve("tokenizer.json").toFile()).path("model").path("vocab").fieldNames()
                .forEachRemaining(w -> {
                    if (w.matches("w\\d+")) {
                        words.add(w);
                    }
                });
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            text.append(words.get((i * 7) % words.size())).append(' ');
        }
        return text.toString().trim();
    }
}
