package taskvec.study.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import taskvec.model.RuntimeSettings;
import taskvec.model.generate.PromptBatching;
import taskvec.model.runtime.LoadedModel;
import taskvec.study.config.Study;
import taskvec.study.config.StudyFileReader;
import taskvec.study.data.Dataset;
import taskvec.study.data.DatasetImporter;
import taskvec.study.vectors.LayerVectors;

/** The fixture study (one task) with distinct prompts batched (padded) predicts exactly what it predicts at batch size 1. */
class BatchedPromptsTest {
    static final Path ROOT = Path.of(System.getProperty("taskvec.root", "../..")).toAbsolutePath().normalize();

    @Test
    void batchedDistinctPromptsPredictAsBatchOne() {
        // the fixture study cut to one task, one seed and text->image (time), every specification and layer kept
        Path file = ROOT.resolve("workflows/studies/fixture.yaml");
        ObjectNode tree = (ObjectNode) StudyFileReader.readTree(file);
        tree.putArray("tasks").add("pair-first");
        ((ObjectNode) tree.get("specifications").get("instructions")).remove("pair-second");
        tree.putArray("seeds").add(1);
        tree.putArray("modality_pairs").add("text->image");
        Study study = StudyFileReader.parse(file, tree, ROOT);
        Dataset dataset = DatasetImporter.load(study.datasetRoot(), study.tasks());
        InMemoryStudy.Result one;
        InMemoryStudy.Result batched;
        try (LoadedModel model = LoadedModel.load(study.models().target().dir(), RuntimeSettings.defaults())) {
            model.batching(PromptBatching.ONE);
            one = InMemoryStudy.run(study, dataset, model, null);
            model.batching(new PromptBatching(16, 0));
            assertEquals(16, model.promptsPerBatch(100));
            batched = InMemoryStudy.run(study, dataset, model, null);
        }
        assertTrue(one.val().size() > 30, "val predictions: " + one.val().size());
        assertEquals(one.val(), batched.val());
        assertEquals(one.test(), batched.test());
        assertEquals(one.bestLayers(), batched.bestLayers());
        // the task vectors agree within the fixtures' tolerance (other GEMM shapes round float32 differently)
        assertEquals(one.vectors().keySet(), batched.vectors().keySet());
        double worst = 0;
        for (Map.Entry<InMemoryStudy.VectorKey, LayerVectors> e : one.vectors().entrySet()) {
            LayerVectors a = e.getValue();
            LayerVectors b = batched.vectors().get(e.getKey());
            for (int l = 0; l < a.numLayers(); l++) {
                for (int i = 0; i < a.hiddenSize(); i++) {
                    double tol = 2e-4 + 2e-4 * Math.abs(a.layer(l)[i]);
                    worst = Math.max(worst, Math.abs(a.layer(l)[i] - b.layer(l)[i]) / tol);
                }
            }
        }
        assertTrue(worst <= 1, "largest vector difference relative to the tolerance: " + worst);
    }
}
