package taskvec.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.model.hooks.Capture;
import taskvec.model.hooks.HookName;
import taskvec.model.image.ImageInputException;
import taskvec.model.layout.Idefics2Layout;
import taskvec.model.layout.ImageSize;
import taskvec.model.layout.TokenSequence;
import taskvec.model.runtime.LoadedModel;
import taskvec.model.safetensors.DType;
import taskvec.model.safetensors.SafetensorsFile;
import taskvec.model.safetensors.SafetensorsWriter;
import taskvec.model.tokenizer.HfPromptTokenizer;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** The tiny Idefics2 fixture through LoadedModel: layout, hook sites, several images per prompt, bad input. */
class Idefics2ModelTest {

    private static final Path FIXTURE = Path.of("src/test/resources/fixtures/idefics2-mistral");
    private static final Path MODEL = FIXTURE.resolve("model");
    private static final Path IMAGES = Path.of("src/test/resources/fixtures/preprocess2");
    private static final int IMAGE = 95;
    private static final int FAKE = 94;

    private static LoadedModel model;

    @BeforeAll
    static void load() {
        model = LoadedModel.load(MODEL, RuntimeSettings.defaults());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void infoDescribesTheModel() {
        ModelInfo info = model.info();
        assertEquals("idefics2", info.modelType());
        assertEquals("mistral", info.textModelType());
        assertEquals(3, info.numLayers());
        assertEquals(48, info.hiddenSize());
        assertEquals(IMAGE, info.imageTokenId());
        assertEquals(8, info.imageFeatureCount()); // latents per crop
        long checkpoint;
        try (SafetensorsFile f = SafetensorsFile.open(MODEL.resolve("model.safetensors"))) {
            checkpoint = f.names().stream().mapToLong(n -> f.info(n).elementCount()).sum();
        }
        assertEquals(checkpoint, info.parameterCount(), "every tensor of the checkpoint is used");
    }

    @Test
    void theLayoutWritesTheFixturesIds() throws IOException {
        JsonNode cases = new ObjectMapper().readTree(FIXTURE.resolve("cases.json").toFile()).path("cases");
        // the fixture's tokenizer adds no BOS: the prompt text writes it
        assertLaidOut(cases, "image", "<s>Q:<image>w24 w42 A:", 1);
        assertLaidOut(cases, "two_images", "<s>Q:<image>w39 w16<image><image>w64 A:", 3);
    }

    private static void assertLaidOut(JsonNode cases, String name, String text, int images) {
        for (JsonNode c : cases) {
            if (c.path("name").asText().equals(name)) {
                int[] want = new int[c.path("input_ids").size()];
                Arrays.setAll(want, i -> c.path("input_ids").get(i).asInt());
                TokenSequence got = model.layout().layOut(text, Collections.nCopies(images, new ImageSize(28, 42)));
                assertArrayEquals(want, got.ids(), name);
                return;
            }
        }
        fail("no case " + name);
    }

    @Test
    void theLayoutMatchesTheProcessorsRunsWithAndWithoutSplitting() throws IOException {
        JsonNode layouts = new ObjectMapper().readTree(IMAGES.resolve("cases.json").toFile()).path("idefics2_token_layouts");
        try (HfPromptTokenizer tokenizer = HfPromptTokenizer.load(MODEL, IMAGE)) {
            for (String key : List.of("split=False,images=1", "split=False,images=2", "split=True,images=1",
                    "split=True,images=2")) {
                JsonNode l = layouts.get(key);
                int images = key.endsWith("2") ? 2 : 1;
                // 64 latents as idefics2-8b's perceiver; the fixture tokenizer knows the special tokens
                Idefics2Layout layout = Idefics2Layout.of(tokenizer, MODEL.resolve("tokenizer.json"), IMAGE, 64,
                        key.startsWith("split=True") ? 5 : 1, IMAGES.resolve("idefics2-split.json"));
                TokenSequence seq = layout.layOut(l.path("prompt").asText(),
                        Collections.nCopies(images, new ImageSize(378, 378)));
                List<String> want = new ArrayList<>();
                for (JsonNode run : l.path("runs")) {
                    String token = run.get(0).asText();
                    if (token.equals("<image>") || token.equals(Idefics2Layout.FAKE_TOKEN)) {
                        want.add(token + " x" + run.get(1).asInt());
                    }
                }
                assertEquals(want, imageRuns(seq.ids()), key);
                assertEquals(l.path("image_tokens").asInt(), count(seq.ids(), IMAGE), key);
                assertEquals(l.path("fake_tokens").asInt(), count(seq.ids(), FAKE), key);
            }
        }
    }

    private static List<String> imageRuns(int[] ids) {
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < ids.length; ) {
            int j = i;
            while (j < ids.length && ids[j] == ids[i]) {
                j++;
            }
            if (ids[i] == IMAGE || ids[i] == FAKE) {
                runs.add((ids[i] == IMAGE ? "<image>" : Idefics2Layout.FAKE_TOKEN) + " x" + (j - i));
            }
            i = j;
        }
        return runs;
    }

    private static long count(int[] ids, int id) {
        return Arrays.stream(ids).filter(v -> v == id).count();
    }

    @Test
    void pinsTheOrderedHookNames() {
        List<String> expected = new ArrayList<>();
        expected.add("vision.hook_embed");
        for (int l = 0; l < 2; l++) {
            for (String site : HookName.BLOCK_SITES) {
                expected.add("vision.blocks." + l + "." + site);
            }
        }
        expected.add("vision.hook_features");
        expected.add("projector.hook_out");
        expected.add("hook_embed");
        for (int l = 0; l < 3; l++) {
            for (String site : HookName.BLOCK_SITES) {
                expected.add("blocks." + l + "." + site);
            }
        }
        expected.add("ln_final.hook_normalized");
        assertEquals(expected, model.hookNames().stream().map(HookName::value).toList());
    }

    @Test
    void fiveImageExamplesAndAnImageQueryRunInOnePrompt() {
        List<Path> files = List.of("landscape_rgb_300x200.png", "tiny_rgb_70x45.png", "gray_portrait_500x700.png",
                "big_rgb_2000x1150.png", "wide_rgba_1200x500.png", "tiny_rgb_70x45.png").stream().map(IMAGES::resolve).toList();
        StringBuilder text = new StringBuilder("<s>");
        for (int i = 0; i < 5; i++) {
            text.append("Q:<image>\nA:w").append(10 + i).append("\n\n");
        }
        text.append("Q:<image>\nA:");
        EncodedPrompt p = model.encode(text.toString(), files, OptionalInt.of(224));
        assertEquals(6, p.images().size());
        assertEquals(6 * 8, count(p.ids(), IMAGE));
        assertEquals(12, count(p.ids(), FAKE)); // no two images side by side: each has its own pair
        assertEquals(":", p.tokens()[p.length() - 1]);
        // the last image's rows of the connector output, and its patches in the tower's features
        int patchesOfLast = (p.images().get(5).height() / 7) * (p.images().get(5).width() / 7);
        int allPatches = p.images().stream().mapToInt(px -> (px.height() / 7) * (px.width() / 7)).sum();
        List<Capture> caps = List.of(new Capture(HookName.parse("projector.hook_out"), 6 * 8 - 1),
                new Capture(HookName.parse("vision.hook_features"), allPatches - 1),
                Capture.residPost(2, p.length() - 1));
        RowResult r = model.run(List.of(new Row(p, List.of(), caps, 1, Set.of()))).get(0);
        assertEquals(48, r.captured().get(caps.get(0)).length);
        assertEquals(32, r.captured().get(caps.get(1)).length);
        assertTrue(patchesOfLast > 0);
        assertEquals(1, r.generated().length);
        // the first row past the last crop's patches does not exist
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.run(List.of(
                Row.of(p, List.of(), List.of(new Capture(HookName.parse("vision.hook_features"), allPatches))))));
        assertTrue(e.getMessage().contains("has " + allPatches + " rows"), e.getMessage());
    }

    @Test
    void splittingGivesFiveCropsPerImage(@TempDir Path dir) throws IOException {
        copy(MODEL, dir);
        Path config = dir.resolve("preprocessor_config.json");
        Files.writeString(config, Files.readString(config).replace("\"do_image_splitting\": false",
                "\"do_image_splitting\": true"));
        try (LoadedModel split = LoadedModel.load(dir, RuntimeSettings.defaults())) {
            EncodedPrompt p = split.encode("<s>Q:<image><image>A:",
                    List.of(IMAGES.resolve("landscape_rgb_300x200.png"), IMAGES.resolve("tiny_rgb_70x45.png")),
                    OptionalInt.empty());
            assertEquals(10, p.images().size());
            assertEquals(10 * 8, count(p.ids(), IMAGE));
            assertEquals(11, count(p.ids(), FAKE)); // 6 per image, the one between shared
            RowResult r = split.run(List.of(Row.of(p, List.of(), List.of()))).get(0);
            assertEquals(96, r.lastLogits().length);
        }
    }

    @Test
    void aCheckpointWithoutTheConnectorIsAnErrorNamingTheFile(@TempDir Path dir) throws IOException {
        copy(MODEL, dir);
        Path weights = dir.resolve("model.safetensors");
        SafetensorsWriter writer = new SafetensorsWriter();
        try (SafetensorsFile f = SafetensorsFile.open(MODEL.resolve("model.safetensors"))) {
            for (String name : f.names()) {
                if (!name.startsWith("model.connector.")) {
                    writer.add(name, DType.F32, f.info(name).shape(), f.readFloats(name));
                }
            }
        }
        writer.write(weights);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> LoadedModel.load(dir, RuntimeSettings.defaults()));
        assertTrue(e.getMessage().startsWith(dir.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("'model.connector.") && e.getMessage().contains("is missing")
                && e.getMessage().contains("model.safetensors"), e.getMessage());
    }

    @Test
    void anUnsupportedPerceiverConfigIsAnErrorNamingTheFile(@TempDir Path dir) throws IOException {
        copy(MODEL, dir);
        Path config = dir.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"num_key_value_heads\": 2\n  }",
                "\"num_key_value_heads\": 3\n  }"));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> LoadedModel.load(dir, RuntimeSettings.defaults()));
        assertTrue(e.getMessage().startsWith(config + ": perceiver_config.num_key_value_heads: 3 does not divide"),
                e.getMessage());
    }

    @Test
    void anImageTooSmallForOneWholePatchIsAnErrorNamingTheFile(@TempDir Path dir) throws IOException {
        copy(MODEL, dir);
        Path config = dir.resolve("preprocessor_config.json");
        Files.writeString(config, Files.readString(config).replace("\"do_resize\": true", "\"do_resize\": false"));
        Path small = dir.resolve("small.png");
        ImageIO.write(new BufferedImage(30, 5, BufferedImage.TYPE_INT_RGB), "png", small.toFile());
        try (LoadedModel m = LoadedModel.load(dir, RuntimeSettings.defaults())) {
            ImageInputException e = assertThrows(ImageInputException.class,
                    () -> m.encode("<s>Q:<image>A:", List.of(small), OptionalInt.empty()));
            assertTrue(e.getMessage().startsWith(small + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("30x5") && e.getMessage().contains("no whole 7x7 patch"), e.getMessage());
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}
