package taskvec.organism.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.model.EncodedPrompt;
import taskvec.model.Row;
import taskvec.model.RowResult;
import taskvec.model.RuntimeSettings;
import taskvec.model.image.PixelValues;
import taskvec.model.runtime.LoadedModel;
import taskvec.organism.ProjectData;
import taskvec.organism.facts.Entity;
import taskvec.organism.facts.TaskFacts;
import taskvec.organism.tokenizer.WordVocabulary;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CI test: a tiny organism trains, its loss falls, the folder loads and runs through the runtime, runs repeat. */
class OrganismTrainerTest {

    @TempDir Path dir;

    @Test
    void tinyOrganismLearnsSavesLoadsThroughTheRuntimeAndRepeatsForASeed() throws Exception {
        TaskFacts facts = TaskFacts.read(ProjectData.tasks());
        OrganismSettings s = OrganismSettings.tiny().withSteps(300);
        Path first = dir.resolve("first");
        OrganismTrainer.Result a = OrganismRun.trainAndWrite(facts, s, first, null, null, null);

        double early = meanLoss(a, 0, 30);
        double late = meanLoss(a, 270, 300);
        assertTrue(late < early - 0.5, "loss did not fall: first 30 steps " + early + ", last 30 " + late);

        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "preprocessor_config.json",
                "manifest.json", "training-log.tsv")) {
            assertTrue(Files.isRegularFile(first.resolve(f)), f + " missing");
        }
        String manifest = Files.readString(first.resolve("manifest.json"));
        assertTrue(manifest.contains(OrganismFolder.sha256(first.resolve("model.safetensors"))), "manifest lacks the checkpoint hash");
        assertEquals(s, OrganismFolder.readSettings(first));

        // the runtime loads the folder and computes what the trainer's forward pass computes
        WordVocabulary vocab = WordVocabulary.of(facts);
        Entity greece = facts.entities("country").get(0);
        Entity wolf = facts.entities("animal").get(0);
        EntityPixels pixels = new EntityPixels(facts.dataRoot(), s.imageSize());
        SequenceSampler sampler = new SequenceSampler(facts, vocab, s);
        TrainingSequence prompt = sampler.examplesPrompt("country-capital", List.of(greece, wolf), 1, true, wolf, true,
                new SplittableRandom(1));
        try (LoadedModel model = LoadedModel.load(first, RuntimeSettings.defaults())) {
            assertEquals(s.numLayers(), model.numLayers());
            assertEquals(s.imageFeatureCount(), model.info().imageFeatureCount());
            String text = "Q:<image>\nA:Athens\n\nQ:<image>\nA:";
            List<PixelValues> images = List.of(pixels.pixelValues(greece), pixels.pixelValues(wolf));
            EncodedPrompt encoded = model.encodePreprocessed(text, images);
            assertArrayEquals(prompt.ids(), encoded.ids(), "the runtime's tokens differ from the trainer's");
            RowResult result = model.run(List.of(new Row(encoded, List.of(), List.of(), 1, java.util.Set.of()))).get(0);
            float[] own = ownLastLogits(s, OrganismFolder.readParameters(first, s, vocab.size()), prompt, pixels);
            assertEquals(own.length, result.lastLogits().length);
            for (int i = 0; i < own.length; i++) {
                assertEquals(own[i], result.lastLogits()[i], 1e-3, "logit " + i);
            }
            assertEquals(1, result.generated().length);
        }

        // the evaluator reads the folder through the runtime and reports every key the issue names
        Map<String, Object> report = new taskvec.organism.eval.OrganismEvaluator(first, facts, 3, 1).evaluate();
        for (String key : List.of("text_examples", "image_examples", "instructions", "naming", "crossmodal_prompt",
                "replace_patch_text_to_image", "add_patch_text_to_image", "knockout_layer0")) {
            double v = ((Number) report.get(key)).doubleValue();
            assertTrue(v >= 0 && v <= 1, key + " = " + v);
        }

        // same seed, same weights
        OrganismTrainer.Result b = new OrganismTrainer(facts, s, null).train();
        for (Map.Entry<String, OrganismParameters.Tensor> e : a.parameters().tensors().entrySet()) {
            assertArrayEquals(e.getValue().values(), b.parameters().get(e.getKey()).values(), e.getKey() + " differs between runs");
        }
    }

    private static double meanLoss(OrganismTrainer.Result r, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += r.losses().get(i)[1];
        }
        return sum / (to - from);
    }

    private static float[] ownLastLogits(OrganismSettings s, OrganismParameters p, TrainingSequence prompt, EntityPixels pixels) {
        try (NDManager m = NDManager.newBaseManager()) {
            OrganismNetwork net = new OrganismNetwork(s, HeldOutAccuracy.arrays(m, p, false));
            BatchArrays a = new BatchArrays(m, List.of(prompt), s.numLayers(), s.imageSize(), pixels::clean, 0);
            NDArray images = net.encodeImages(a.pixels).reshape(-1, s.hiddenSize());
            NDArray h = net.hidden(a.ids, images, a.imageIndex, a.masks).reshape(-1, s.hiddenSize());
            return net.logits(h.get(new NDIndex("{}", m.create(new long[] {a.lastRows[0]})))).toFloatArray();
        }
    }
}
