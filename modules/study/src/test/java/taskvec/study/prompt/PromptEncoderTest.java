package taskvec.study.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import taskvec.model.RuntimeSettings;
import taskvec.model.runtime.LoadedModel;
import taskvec.study.StudyInputException;
import taskvec.study.data.Dataset;
import taskvec.study.data.Split;
import taskvec.study.data.TaskItem;

/** Read and write positions on the golden fixtures' own tokenizers, with and without image expansion. */
class PromptEncoderTest {
    static final Path FIXTURES = Path.of(System.getProperty("taskvec.fixtures", "../model/src/test/resources/fixtures"));

    static Dataset dataset() {
        List<TaskItem> val = new ArrayList<>();
        List<TaskItem> test = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            val.add(new TaskItem("v" + i, "w" + (10 + i), "w" + (40 + i), "img/v" + i + ".png"));
            test.add(new TaskItem("t" + i, "w" + (20 + i), "w" + (50 + i), "img/t" + i + ".png"));
        }
        return new Dataset(Path.of("/no-images-needed"), Map.of("t", Map.of(Split.VAL, val, Split.TEST, test)));
    }

    /** Index of the k-th ':' token counted from the end. */
    static int colonFromEnd(int[] ids, int colonId, int k) {
        int seen = 0;
        for (int i = ids.length - 1; i >= 0; i--) {
            if (ids[i] == colonId && ++seen == k) return i;
        }
        throw new AssertionError("fewer than " + k + " ':' tokens");
    }

    @ParameterizedTest
    @ValueSource(strings = {"llava-clip-llama", "llava-siglip-qwen2"})
    void readIsTheColonAfterAOfTheLastDemonstrationAndWriteIsTheLastToken(String fixture) {
        Dataset ds = dataset();
        try (LoadedModel model = LoadedModel.load(FIXTURES.resolve(fixture).resolve("model"), RuntimeSettings.defaults())) {
            PromptEncoder enc = new PromptEncoder(model, ds, null);
            PromptPlanner planner = new PromptPlanner(ds, 5, enc.imagePlaceholder());
            int colon = model.tokenizer().tokenId(":");
            int a = model.tokenizer().tokenId("A");
            int features = model.info().imageFeatureCount();
            assertTrue(features > 1);

            ResolvedPrompt text = enc.resolve(planner.source("t", 1, Split.VAL, ds.items("t", Split.VAL).get(0), Specification.TEXT_EXAMPLES));
            assertEquals(colonFromEnd(text.ids(), colon, 3), text.readPosition());
            assertEquals(":", text.readToken());
            assertEquals(a, text.ids()[text.readPosition() - 1]);
            assertEquals(text.ids().length - 1, text.writePosition());
            assertEquals(":", text.writeToken());

            // image demonstrations and query: six placeholders, each expanded to `features` positions
            ResolvedPrompt image = enc.resolve(planner.source("t", 1, Split.VAL, ds.items("t", Split.VAL).get(0), Specification.IMAGE_EXAMPLES));
            assertEquals(colonFromEnd(image.ids(), colon, 3), image.readPosition());
            assertEquals(":", image.readToken());
            // same token layout as the text prompt (one placeholder per input word), shifted by the expansion of the five demo images
            assertEquals(text.readPosition() + 5 * (features - 1), image.readPosition());
            assertEquals(text.writePosition() + 6 * (features - 1), image.writePosition());
            int imageTokens = 0;
            for (int id : image.ids()) if (id == model.info().imageTokenId()) imageTokens++;
            assertEquals(6 * features, imageTokens);

            // a text->image context prompt: only the query's image is expanded
            ResolvedPrompt ctx = enc.resolve(planner.context("t", 1, Split.TEST, ds.items("t", Split.TEST).get(0), Modality.TEXT, Modality.IMAGE));
            assertNull(ctx.readPosition());
            assertEquals(ctx.ids().length - 1, ctx.writePosition());
            ResolvedPrompt query = enc.resolve(planner.query("t", Split.TEST, ds.items("t", Split.TEST).get(0), Modality.IMAGE));
            assertEquals(4 + features, query.length()); // Q : <image>x16 A :  (these fixtures add no BOS)
            ResolvedPrompt instr = enc.resolve(planner.instruction("t", "w30 w31 w32:"));
            assertEquals(instr.length() - 1, instr.readPosition());
            assertEquals(":", instr.readToken());
        }
    }

    @Test
    void aTokenizerThatMergesTheDelimiterWithItsNeighboursIsRejected(@TempDir Path dir) throws IOException {
        // the llava-clip-llama fixture with a tokenizer that splits on whitespace only and knows "A:" as one word
        Path src = FIXTURES.resolve("llava-clip-llama/model");
        for (String f : new String[] {"config.json", "model.safetensors", "preprocessor_config.json"}) Files.copy(src.resolve(f), dir.resolve(f));
        ObjectMapper json = new ObjectMapper();
        ObjectNode tok = (ObjectNode) json.readTree(src.resolve("tokenizer.json").toFile());
        ((ObjectNode) tok.get("pre_tokenizer")).put("type", "WhitespaceSplit");
        ObjectNode vocab = (ObjectNode) tok.get("model").get("vocab");
        vocab.remove("w94");
        vocab.put("A:", 94);
        json.writeValue(dir.resolve("tokenizer.json").toFile(), tok);

        Dataset ds = dataset();
        try (LoadedModel model = LoadedModel.load(dir, RuntimeSettings.defaults())) {
            PromptEncoder enc = new PromptEncoder(model, ds, null);
            PromptPlanner planner = new PromptPlanner(ds, 5, enc.imagePlaceholder());
            PlannedPrompt p = planner.source("t", 1, Split.VAL, ds.items("t", Split.VAL).get(0), Specification.TEXT_EXAMPLES);
            StudyInputException e = assertThrows(StudyInputException.class, () -> enc.resolve(p));
            assertTrue(e.getMessage().startsWith(p.describe() + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("delimiter ':'"), e.getMessage());
        }
    }

    @Test
    void theFolderOnlyTokensResolveAsTheLoadedModelDoes() {
        Dataset ds = dataset();
        Path dir = FIXTURES.resolve("llava-clip-llama/model");
        try (LoadedModel model = LoadedModel.load(dir, RuntimeSettings.defaults()); PromptTokens folder = PromptTokens.read(dir)) {
            PromptTokens loaded = PromptTokens.of(model);
            PromptPlanner planner = new PromptPlanner(ds, 5, folder.imagePlaceholder());
            for (Specification spec : List.of(Specification.TEXT_EXAMPLES, Specification.IMAGE_EXAMPLES)) {
                PlannedPrompt p = planner.source("t", 2, Split.VAL, ds.items("t", Split.VAL).get(3), spec);
                ResolvedPrompt a = folder.resolve(p);
                ResolvedPrompt b = loaded.resolve(p);
                org.junit.jupiter.api.Assertions.assertArrayEquals(b.ids(), a.ids());
                assertEquals(b.readPosition(), a.readPosition());
                assertEquals(b.writePosition(), a.writePosition());
            }
        }
    }
}
