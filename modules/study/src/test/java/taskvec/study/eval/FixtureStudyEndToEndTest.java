package taskvec.study.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.model.EncodedPrompt;
import taskvec.model.Row;
import taskvec.model.RowResult;
import taskvec.model.RuntimeSettings;
import taskvec.model.hooks.Capture;
import taskvec.model.runtime.LoadedModel;
import taskvec.study.config.Study;
import taskvec.study.config.StudyFileReader;
import taskvec.study.data.Dataset;
import taskvec.study.data.DatasetImporter;
import taskvec.study.data.Split;
import taskvec.study.prompt.Modality;
import taskvec.study.prompt.PromptEncoder;
import taskvec.study.prompt.PromptPlanner;
import taskvec.study.prompt.ResolvedPrompt;
import taskvec.study.prompt.Specification;
import taskvec.study.vectors.LayerVectors;
import taskvec.study.vectors.VectorCapture;
import taskvec.study.vectors.VectorMath;

/**
 * A small study run in memory on the llava-clip-llama fixture (random weights, 4 layers, a 96-word
 * whitespace vocabulary, 32x32 images): a dataset in the paper's layout written here, two tasks of
 * one domain, one seed, all layers. The invariants hold whatever the weights are.
 */
class FixtureStudyEndToEndTest {
    static final Path MODEL = Path.of(System.getProperty("taskvec.fixtures", "../model/src/test/resources/fixtures"))
            .resolve("llava-clip-llama/model");
    static final Path LLM = MODEL.getParent().getParent().resolve("llama-sharded/model");
    static final Path OTHER_VLM = MODEL.getParent().getParent().resolve("llava-siglip-qwen2/model");
    static final String[] TASKS = {"pair-first", "pair-second"};

    @TempDir static Path dir;
    static LoadedModel model;
    static Dataset dataset;
    static Study study;
    static PromptEncoder encoder;
    static PromptPlanner planner;
    static Evaluator evaluator;

    @BeforeAll
    static void setUp() throws IOException {
        Path root = dir.resolve("data");
        Files.createDirectories(root.resolve("annotations"));
        Files.createDirectories(root.resolve("images"));
        SplittableRandom random = new SplittableRandom(7);
        // 4 val and 3 test entities; both tasks share entities, ids and images (one domain)
        int[][] ranges = {{10, 14}, {14, 17}};
        String[] splits = {"val", "test"};
        for (int t = 0; t < TASKS.length; t++) {
            for (int s = 0; s < 2; s++) {
                StringBuilder json = new StringBuilder("{\"data\": [");
                for (int w = ranges[s][0]; w < ranges[s][1]; w++) {
                    String image = "images/e" + w + ".png";
                    if (t == 0) writeImage(root.resolve(image), random);
                    json.append(w > ranges[s][0] ? ",\n" : "").append("{\"id\": \"e").append(w).append("\", \"input\": \"w").append(w)
                            .append("\", \"output\": \"w").append(40 + 20 * t + w).append("\", \"image\": \"").append(image).append("\"}");
                }
                Files.writeString(root.resolve("annotations/" + TASKS[t] + "_" + splits[s] + ".json"), json.append("]}").toString());
            }
        }
        Path file = dir.resolve("fixture-study.yaml");
        Files.writeString(file, """
                models: {target: {dir: %s}}
                dataset: {root: %s}
                tasks: [pair-first, pair-second]
                seeds: [1]
                shots: 2
                specifications:
                  instructions: {pair-first: "w30 w31:", pair-second: "w32 w33:"}
                interventions: {modes: [replace, add], alphas: [0.5]}
                ensembling: true
                sample_efficiency: {max_prompts: 2}
                pre_resize_width: 48
                """.formatted(MODEL, root));
        study = StudyFileReader.read(file, dir);
        dataset = DatasetImporter.load(study.datasetRoot(), study.tasks());
        model = LoadedModel.load(MODEL, RuntimeSettings.defaults());
        encoder = new PromptEncoder(model, dataset, study.preResizeWidth());
        planner = new PromptPlanner(dataset, study.shots(), encoder.imagePlaceholder());
        evaluator = new Evaluator(model, encoder, dataset, study.decoding(), study.lowercase());
    }

    @AfterAll
    static void tearDown() {
        if (model != null) model.close();
    }

    static void writeImage(Path path, SplittableRandom random) throws IOException {
        BufferedImage img = new BufferedImage(40, 32, BufferedImage.TYPE_INT_RGB); // not square: the processor resizes and crops
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) img.setRGB(x, y, random.nextInt(1 << 24));
        }
        ImageIO.write(img, "png", path.toFile());
    }

    private static List<ResolvedPrompt> queries(Split split, Modality m) {
        List<ResolvedPrompt> out = new ArrayList<>();
        for (var item : dataset.items(TASKS[0], split)) out.add(encoder.resolve(planner.query(TASKS[0], split, item, m)));
        return out;
    }

    private static RowResult runOne(Row row) {
        return model.run(List.of(row)).get(0);
    }

    private static void assertClose(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(expected[i] - actual[i]) <= tol, what + ": index " + i + ": " + expected[i] + " vs " + actual[i]);
        }
    }

    @Test
    void patchingAQueryWithItsOwnVectorReproducesItsOutput() {
        for (Modality m : Modality.values()) {
            List<ResolvedPrompt> qs = queries(Split.VAL, m).subList(0, 2);
            List<LayerVectors> own = VectorCapture.atWrite(model, encoder, qs);
            for (int i = 0; i < qs.size(); i++) {
                EncodedPrompt e = encoder.encode(qs.get(i));
                // three new tokens: the generated continuation must be the same too, not only the first answer token
                RowResult plain = runOne(new Row(e, List.of(), List.of(), 3, Set.of()));
                for (int l = 0; l < model.numLayers(); l++) {
                    Row patch = evaluator.patchRow(e, qs.get(i).writePosition(), PatchVector.replace(own.get(i)), l);
                    RowResult patched = runOne(new Row(e, patch.interventions(), List.of(), 3, Set.of()));
                    assertArrayEquals(plain.generated(), patched.generated(), m + " query " + i + " layer " + l);
                    assertClose(plain.lastLogits(), patched.lastLogits(), 1e-5, m + " query " + i + " layer " + l);
                }
            }
        }
    }

    @Test
    void aPatchAtLayerLChangesNothingBelowL() {
        ResolvedPrompt q = queries(Split.VAL, Modality.IMAGE).get(0);
        EncodedPrompt e = encoder.encode(q);
        LayerVectors vector = VectorCapture.atRead(model, encoder, List.of(encoder.resolve(
                planner.source(TASKS[0], 1, Split.VAL, dataset.items(TASKS[0], Split.VAL).get(1), Specification.TEXT_EXAMPLES)))).get(0);
        int layers = model.numLayers();
        int[] positions = {0, q.writePosition() - 1, q.writePosition()};
        List<Capture> all = new ArrayList<>();
        for (int l = 0; l < layers; l++) for (int p : positions) all.add(Capture.residPost(l, p));
        RowResult plain = runOne(new Row(e, List.of(), all, 0, Set.of()));
        for (int patchLayer = 0; patchLayer < layers; patchLayer++) {
            Row patchRow = evaluator.patchRow(e, q.writePosition(), PatchVector.replace(vector), patchLayer);
            RowResult patched = runOne(new Row(e, patchRow.interventions(), all, 0, Set.of()));
            for (int l = 0; l < layers; l++) {
                for (int p : positions) {
                    Capture c = Capture.residPost(l, p);
                    if (l < patchLayer || p < q.writePosition()) {
                        assertClose(plain.captured().get(c), patched.captured().get(c), 1e-5, "patch at " + patchLayer + ", layer " + l + " pos " + p);
                    }
                }
            }
            // where the patch lands: the residual after patchLayer at the write position is the vector
            assertClose(vector.layer(patchLayer), patched.captured().get(Capture.residPost(patchLayer, q.writePosition())), 1e-6, "landed");
            if (patchLayer + 1 < layers) {
                Capture above = Capture.residPost(patchLayer + 1, q.writePosition());
                assertFalse(java.util.Arrays.equals(plain.captured().get(above), patched.captured().get(above)), "the patch reaches later layers");
            }
        }
    }

    @Test
    void theBatchedSweepMatchesEachLayerRunAlone() {
        LayerVectors vector = VectorMath.mean(VectorCapture.atRead(model, encoder, List.of(
                encoder.resolve(planner.source(TASKS[1], 1, Split.VAL, dataset.items(TASKS[1], Split.VAL).get(0), Specification.TEXT_EXAMPLES)),
                encoder.resolve(planner.source(TASKS[1], 1, Split.VAL, dataset.items(TASKS[1], Split.VAL).get(2), Specification.TEXT_EXAMPLES)))));
        LayerVectors baseline = VectorMath.mean(VectorCapture.atWrite(model, encoder, queries(Split.VAL, Modality.IMAGE)));
        for (PatchVector pv : List.of(PatchVector.replace(vector), PatchVector.add(vector, baseline, 0.5))) {
            for (ResolvedPrompt q : queries(Split.TEST, Modality.IMAGE).subList(0, 2)) {
                EncodedPrompt e = encoder.encode(q);
                List<Row> rows = new ArrayList<>();
                for (int l = 0; l < model.numLayers(); l++) rows.add(new Row(e, evaluator.patchRow(e, q.writePosition(), pv, l).interventions(),
                        List.of(), 3, Set.of()));
                List<RowResult> sweep = model.run(rows);
                for (int l = 0; l < rows.size(); l++) {
                    RowResult alone = runOne(rows.get(l));
                    assertArrayEquals(alone.generated(), sweep.get(l).generated(), pv.mode() + " layer " + l);
                    assertClose(alone.lastLogits(), sweep.get(l).lastLogits(), 1e-4, pv.mode() + " layer " + l);
                }
            }
        }
    }

    @Test
    void theWholeStudyRunsAndIsBookkeptAsThePaperDoes() {
        InMemoryStudy.Result r = InMemoryStudy.run(study, dataset, model, null);
        int layers = model.numLayers();
        int val = 4;
        int test = 3;
        // vectors: per task, text and image examples, instruction, ensemble, and two sample-efficiency subsets (+ensembles)
        for (String task : TASKS) {
            for (String name : List.of("text-examples", "image-examples", "instruction", "ensemble", "subset-r1:text-examples",
                    "subset-r2:text-examples", "subset-r2:ensemble")) {
                LayerVectors v = r.vectors().get(InMemoryStudy.VectorKey.of(task, 1, name));
                assertTrue(v != null, task + " " + name);
                assertEquals(layers, v.numLayers());
                assertEquals(model.hiddenSize(), v.hiddenSize());
            }
        }
        // val: every layer for every patch condition, each item once per (condition, layer)
        Set<String> patchConditions = new HashSet<>();
        for (Prediction p : r.val()) if (p.condition().startsWith("patch/")) patchConditions.add(p.condition());
        // the four pairs (the default): text->X: 3 vectors x (replace + add), image->X: 1 vector x 2, for 2 targets each
        assertEquals(2 * (3 * 2 + 1 * 2), patchConditions.size(), patchConditions.toString());
        assertTrue(patchConditions.contains("patch/text->image/ensemble/add@0.5"), patchConditions.toString());
        for (String c : patchConditions) {
            for (String task : TASKS) {
                for (int l = 0; l < layers; l++) {
                    final int layer = l;
                    long n = r.val().stream().filter(p -> p.condition().equals(c) && p.task().equals(task) && p.layer() == layer).count();
                    assertEquals(val, n, c + " " + task + " layer " + l);
                }
            }
            int best = r.bestLayers().get(c);
            assertEquals(Accuracy.bestLayer(r.valAccuracy(), c), best);
            // test runs the chosen layer only
            Set<Integer> testLayers = new HashSet<>();
            for (Prediction p : r.test()) if (p.condition().equals(c)) testLayers.add(p.layer());
            assertEquals(Set.of(best), testLayers, c);
        }
        // no-context once per item and target modality (seed 0); prompt per pair and seed
        for (String c : List.of("no-context/image", "no-context/text")) {
            assertEquals(2 * test, r.test().stream().filter(p -> p.condition().equals(c)).count(), c);
        }
        for (String c : List.of("prompt/text->image", "prompt/image->image", "prompt/text->text", "prompt/image->text")) {
            assertEquals(2 * test, r.test().stream().filter(p -> p.condition().equals(c) && p.seed() == 1).count(), c);
        }
        // sample-efficiency subsets are tested at their full vector's layer
        assertTrue(r.test().stream().anyMatch(p -> p.condition().equals("patch/text->image/subset-r2:ensemble/replace")
                && p.layer() == r.bestLayers().get("patch/text->image/ensemble/replace")));
        // every prediction is scored by the rule against the item's own label
        for (Prediction p : r.test()) {
            assertEquals(dataset.item(p.task(), Split.TEST, p.item()).output(), p.label());
            assertEquals(taskvec.study.scoring.AnswerScorer.isCorrect(p.prediction(), p.label(), false), p.correct());
        }
        // accuracies are fractions of the items
        for (Accuracy.Overall row : r.testAccuracy()) assertTrue(row.accuracy() >= 0 && row.accuracy() <= 1);
        assertTrue(r.transferCosine().isEmpty());
        Map<String, Integer> best = r.bestLayers();
        assertFalse(best.isEmpty());
    }

    @Test
    void llmVectorsPatchIntoTheVlmWhenTheResidualSpacesMatch() throws IOException {
        Path file = dir.resolve("transfer.yaml");
        Files.writeString(file, """
                models: {target: {dir: %s}, source: {dir: %s}}
                dataset: {root: %s}
                tasks: [pair-first]
                seeds: [1]
                shots: 2
                specifications: {image_examples: false, instructions: {pair-first: "w30 w31:"}}
                modality_pairs: [text->image]
                """.formatted(MODEL, LLM, study.datasetRoot()));
        Study transfer = StudyFileReader.read(file, dir);
        try (LoadedModel llm = LoadedModel.load(LLM, RuntimeSettings.defaults())) {
            InMemoryStudy.Result r = InMemoryStudy.run(transfer, dataset, model, llm);
            assertTrue(r.vectors().containsKey(InMemoryStudy.VectorKey.of("pair-first", 1, "source:text-examples")));
            assertTrue(r.vectors().containsKey(InMemoryStudy.VectorKey.of("pair-first", 1, "source:instruction")));
            assertTrue(r.bestLayers().containsKey("patch/text->image/source:text-examples/replace"), r.bestLayers().toString());
            assertTrue(r.bestLayers().containsKey("patch/text->image/source:instruction/replace"), r.bestLayers().toString());
            double[] cos = r.transferCosine().get("pair-first|1|text-examples");
            assertEquals(model.numLayers(), cos.length);
            for (double c : cos) assertTrue(c >= -1 - 1e-9 && c <= 1 + 1e-9);
            // the cosine is the one of the stored vectors
            assertEquals(VectorMath.cosine(r.vectors().get(InMemoryStudy.VectorKey.of("pair-first", 1, "source:text-examples")).layer(2),
                    r.vectors().get(InMemoryStudy.VectorKey.of("pair-first", 1, "text-examples")).layer(2)), cos[2], 1e-12);
        }
        // a source model with another residual space is refused before anything runs
        try (LoadedModel other = LoadedModel.load(OTHER_VLM, RuntimeSettings.defaults())) {
            Study mismatched = transfer.withSourceDir(OTHER_VLM);
            taskvec.study.StudyInputException e = org.junit.jupiter.api.Assertions.assertThrows(taskvec.study.StudyInputException.class,
                    () -> InMemoryStudy.run(mismatched, dataset, model, other));
            assertTrue(e.getMessage().contains("layer counts and hidden sizes must match"), e.getMessage());
        }
    }
}
