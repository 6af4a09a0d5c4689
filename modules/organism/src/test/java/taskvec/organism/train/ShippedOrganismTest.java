package taskvec.organism.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import taskvec.model.RuntimeSettings;
import taskvec.model.runtime.LoadedModel;
import taskvec.organism.ProjectData;
import taskvec.organism.facts.TaskFacts;
import taskvec.organism.tokenizer.WordVocabulary;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The organism in data/organism: its files match the manifest, the runtime loads it, and it does the tasks. */
class ShippedOrganismTest {

    private static final Path DIR = ProjectData.root().resolve("data/organism");

    @Test
    void filesMatchTheManifestAndTheRuntimeLoadsIt() throws Exception {
        JsonNode manifest = new ObjectMapper().readTree(DIR.resolve(OrganismFolder.MANIFEST).toFile());
        Iterator<Map.Entry<String, JsonNode>> files = manifest.path("files").fields();
        int n = 0;
        while (files.hasNext()) {
            Map.Entry<String, JsonNode> f = files.next();
            assertEquals(f.getValue().asText(), OrganismFolder.sha256(DIR.resolve(f.getKey())), f.getKey() + " differs from the manifest");
            n++;
        }
        assertTrue(n >= 5, "manifest lists " + n + " files");
        long bytes;
        try (var s = Files.list(DIR)) {
            bytes = s.mapToLong(p -> p.toFile().length()).sum();
        }
        assertTrue(bytes < 20_000_000, "the shipped organism takes " + bytes + " bytes");
        try (LoadedModel model = LoadedModel.load(DIR, RuntimeSettings.defaults())) {
            assertTrue(model.info().hasVision());
            assertEquals(manifest.path("settings").path("numLayers").asInt(), model.numLayers());
        }
    }

    @Test
    void theLanguageModelIsALlamaFolderMatchingItsManifestAndTheVlmWasMadeFromIt() throws Exception {
        Path llm = ProjectData.root().resolve("data/organism-llm");
        JsonNode manifest = new ObjectMapper().readTree(llm.resolve(OrganismFolder.MANIFEST).toFile());
        Iterator<Map.Entry<String, JsonNode>> files = manifest.path("files").fields();
        while (files.hasNext()) {
            Map.Entry<String, JsonNode> f = files.next();
            assertEquals(f.getValue().asText(), OrganismFolder.sha256(llm.resolve(f.getKey())), f.getKey() + " differs from the manifest");
        }
        assertTrue(OrganismFolder.readSettings(llm).textOnly());
        // the shipped VLM was made from this language model (the default study's LLM->VLM pair) and the shipped CLIP tower
        JsonNode vlmManifest = new ObjectMapper().readTree(DIR.resolve(OrganismFolder.MANIFEST).toFile());
        assertEquals("organism-llm", vlmManifest.path("decoder_start").path("folder").asText());
        assertEquals(OrganismFolder.sha256(llm.resolve("model.safetensors")),
                vlmManifest.path("decoder_start").path("model.safetensors").asText(), "the VLM started from other language model weights");
        assertEquals("organism-clip", vlmManifest.path("vision_tower_start").path("folder").asText());
        assertEquals(OrganismFolder.sha256(ProjectData.root().resolve("data/organism-clip/model.safetensors")),
                vlmManifest.path("vision_tower_start").path("model.safetensors").asText());
        try (LoadedModel lm = LoadedModel.load(llm, RuntimeSettings.defaults());
             LoadedModel vlm = LoadedModel.load(DIR, RuntimeSettings.defaults())) {
            assertEquals("llama", lm.info().modelType());
            assertTrue(!lm.info().hasVision());
            assertEquals(vlm.numLayers(), lm.numLayers());
            assertEquals(vlm.info().hiddenSize(), lm.info().hiddenSize());
            assertEquals(vlm.info().vocabSize(), lm.info().vocabSize());
        }
    }

    /** The shipped VLM meets the organism's floors on held-out demonstration combinations the trainer never probed. */
    @Test
    void keepsItsMeasuredAccuracyOnHeldOutDemonstrationCombinations() {
        TaskFacts facts = TaskFacts.read(ProjectData.tasks());
        OrganismSettings s = OrganismFolder.readSettings(DIR);
        WordVocabulary vocab = WordVocabulary.of(facts);
        OrganismParameters params = OrganismFolder.readParameters(DIR, s, vocab.size());
        // a seed the trainer's own held-out probes never used
        List<HeldOutAccuracy.Probe> probes = HeldOutAccuracy.build(facts, new SequenceSampler(facts, vocab, s), 25, 977);
        Map<String, Double> acc = HeldOutAccuracy.measure(s, params, probes, new EntityPixels(facts.dataRoot(), s.imageSize()), vocab, 0);
        assertTrue(acc.get("text_examples") >= 0.95, "text examples " + acc);
        assertTrue(acc.get("image_examples") >= 0.8, "image examples " + acc);
        assertTrue(acc.get("instructions") >= 0.9, "instructions with text queries " + acc);
    }
}
