package taskvec.organism.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.model.EncodedPrompt;
import taskvec.model.Row;
import taskvec.model.RowResult;
import taskvec.model.RuntimeSettings;
import taskvec.model.runtime.LoadedModel;
import taskvec.organism.ProjectData;
import taskvec.organism.facts.Entity;
import taskvec.organism.facts.TaskFacts;
import taskvec.organism.tokenizer.WordVocabulary;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The schedule: a language model folder first, then a VLM whose training starts from that folder's decoder (and
 * from a vision tower folder's CLIP tower when one is given).
 */
class OrganismScheduleTest {

    @TempDir Path dir;

    @Test
    void savesTheLanguageModelThenTheVlmWhichStartsFromItsDecoder() throws Exception {
        TaskFacts facts = TaskFacts.read(ProjectData.tasks());
        OrganismSchedule schedule = OrganismSchedule.of(OrganismSettings.tiny().withSteps(4), 40);
        Path llm = dir.resolve("organism-llm");
        Path vlm = dir.resolve("organism");
        OrganismTrainer.Result trained = OrganismRun.trainSchedule(facts, schedule, null, llm, vlm, null);

        // the language model: an ordinary LlamaForCausalLM folder with its manifest, no image processor
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "manifest.json", "training-log.tsv")) {
            assertTrue(Files.isRegularFile(llm.resolve(f)), "language model: " + f + " missing");
        }
        assertFalse(Files.exists(llm.resolve("preprocessor_config.json")));
        ObjectMapper json = new ObjectMapper();
        JsonNode config = json.readTree(llm.resolve("config.json").toFile());
        assertEquals("llama", config.path("model_type").asText());
        assertEquals("LlamaForCausalLM", config.path("architectures").path(0).asText());
        assertEquals(schedule.languageModel(), OrganismFolder.readSettings(llm));
        assertTrue(OrganismFolder.readSettings(llm).textOnly());

        // the VLM: a LLaVA folder whose manifest names the language model it was made from
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "preprocessor_config.json", "manifest.json")) {
            assertTrue(Files.isRegularFile(vlm.resolve(f)), "VLM: " + f + " missing");
        }
        JsonNode start = json.readTree(vlm.resolve("manifest.json").toFile()).path("decoder_start");
        assertEquals("organism-llm", start.path("folder").asText());
        assertEquals(OrganismFolder.sha256(llm.resolve("model.safetensors")), start.path("model.safetensors").asText());
        assertEquals(Files.readString(llm.resolve("tokenizer.json")), Files.readString(vlm.resolve("tokenizer.json")), "one tokenizer");

        // the VLM's training started from the saved decoder: its decoder tensors are the folder's, its vision is fresh ...
        WordVocabulary vocab = WordVocabulary.of(facts);
        OrganismParameters saved = OrganismFolder.readParameters(llm, schedule.languageModel(), vocab.size());
        OrganismTrainer vlmTrainer = new OrganismTrainer(facts, schedule.vlm(), null);
        OrganismParameters starting = vlmTrainer.startingParameters(saved, null);
        OrganismParameters fresh = vlmTrainer.startingParameters(null, null);
        for (Map.Entry<String, OrganismParameters.Tensor> e : starting.tensors().entrySet()) {
            OrganismParameters.Tensor expected = e.getKey().startsWith(OrganismParameters.TEXT) ? saved.get(e.getKey()) : fresh.get(e.getKey());
            assertArrayEquals(expected.values(), e.getValue().values(), e.getKey());
        }
        // ... and the schedule's first VLM step saw exactly those parameters (the loss before any update is theirs, not a fresh model's)
        double first = trained.losses().get(0)[1];
        double fromSaved = new OrganismTrainer(facts, schedule.vlm().withSteps(1), null).train(saved, null).losses().get(0)[1];
        double fromScratch = new OrganismTrainer(facts, schedule.vlm().withSteps(1), null).train().losses().get(0)[1];
        assertEquals(fromSaved, first, 1e-9);
        assertNotEquals(fromScratch, first, 1e-3);
        assertTrue(first < fromScratch, "a trained decoder starts lower: " + first + " vs " + fromScratch);

        // a trained VLM's CLIP tower kept as its own folder is where a next VLM's tower starts; the projector stays fresh
        Path tower = dir.resolve("organism-clip");
        OrganismRun.writeVisionTower(facts, vlm, tower);
        assertEquals("clip_vision_model", json.readTree(tower.resolve("config.json").toFile()).path("model_type").asText());
        assertEquals(OrganismFolder.sha256(vlm.resolve("model.safetensors")),
                json.readTree(tower.resolve("manifest.json").toFile()).path("source").path("model.safetensors").asText());
        OrganismParameters trainedVlm = OrganismFolder.readParameters(vlm, schedule.vlm(), vocab.size());
        OrganismParameters withTower = vlmTrainer.startingParameters(saved, OrganismFolder.readVisionTower(tower, schedule.vlm()));
        for (Map.Entry<String, OrganismParameters.Tensor> e : withTower.tensors().entrySet()) {
            OrganismParameters.Tensor expected = e.getKey().startsWith(OrganismParameters.VISION) ? trainedVlm.get(e.getKey())
                    : e.getKey().startsWith(OrganismParameters.TEXT) ? saved.get(e.getKey()) : fresh.get(e.getKey());
            assertArrayEquals(expected.values(), e.getValue().values(), e.getKey());
        }

        // the runtime loads the language model as a llama model and computes what the trainer's forward pass computes
        Entity greece = facts.entities("country").get(0);
        Entity italy = facts.entities("country").get(1);
        SequenceSampler sampler = new SequenceSampler(facts, vocab, schedule.languageModel());
        TrainingSequence prompt = sampler.examplesPrompt("country-capital", List.of(greece, italy), 1, false, italy, false,
                new SplittableRandom(1));
        try (LoadedModel model = LoadedModel.load(llm, RuntimeSettings.defaults())) {
            assertEquals("llama", model.info().modelType());
            assertFalse(model.info().hasVision());
            EncodedPrompt encoded = model.encodePreprocessed(
                    "Q:" + greece.input() + "\nA:" + greece.answers().get("country-capital") + "\n\nQ:" + italy.input() + "\nA:", List.of());
            assertArrayEquals(prompt.ids(), encoded.ids(), "the runtime's tokens differ from the trainer's");
            RowResult result = model.run(List.of(new Row(encoded, List.of(), List.of(), 1, Set.of()))).get(0);
            float[] own = ownLastLogits(schedule.languageModel(), saved, prompt);
            for (int i = 0; i < own.length; i++) {
                assertEquals(own[i], result.lastLogits()[i], 1e-3, "logit " + i);
            }
        }
    }

    @Test
    void theEvaluatorGivesALanguageModelItsTextOnlyReport() {
        TaskFacts facts = TaskFacts.read(ProjectData.tasks());
        Path llm = dir.resolve("llm");
        OrganismRun.trainAndWrite(facts, OrganismSchedule.of(OrganismSettings.tiny(), 20).languageModel(), llm, null, null, null);
        Map<String, Object> report = new taskvec.organism.eval.OrganismEvaluator(llm, facts, 2, 1).evaluate();
        for (String key : List.of("text_examples", "instructions", "knockout_layer0", "majority_class")) {
            double v = ((Number) report.get(key)).doubleValue();
            assertTrue(v >= 0 && v <= 1, key + " = " + v);
        }
        assertFalse(report.containsKey("image_examples"), "a language model takes no pictures: " + report);
    }

    @Test
    void aVlmIsMadeOnlyFromALanguageModelFolder() {
        TaskFacts facts = TaskFacts.read(ProjectData.tasks());
        OrganismSettings vlm = OrganismSettings.tiny().withSteps(1);
        Path missing = dir.resolve("nowhere");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OrganismRun.trainAndWrite(facts, vlm, dir.resolve("out"), null, missing, null));
        assertTrue(e.getMessage().contains(missing.resolve(OrganismFolder.MANIFEST).toString()), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new OrganismSchedule(vlm, vlm), "the first phase must be text-only");
        IllegalArgumentException noTower = assertThrows(IllegalArgumentException.class,
                () -> OrganismRun.trainAndWrite(facts, vlm, dir.resolve("out"), null, null, missing));
        assertTrue(noTower.getMessage().startsWith(missing + ": no model.safetensors"), noTower.getMessage());
    }

    private static float[] ownLastLogits(OrganismSettings s, OrganismParameters p, TrainingSequence prompt) {
        try (NDManager m = NDManager.newBaseManager()) {
            OrganismNetwork net = new OrganismNetwork(s, HeldOutAccuracy.arrays(m, p, false));
            BatchArrays a = new BatchArrays(m, List.of(prompt), s.numLayers(), s.imageSize(), e -> null, 0);
            NDArray h = net.hidden(a.ids, null, a.imageIndex, a.masks).reshape(-1, s.hiddenSize());
            return net.logits(h.get(new NDIndex("{}", m.create(new long[] {a.lastRows[0]})))).toFloatArray();
        }
    }
}
