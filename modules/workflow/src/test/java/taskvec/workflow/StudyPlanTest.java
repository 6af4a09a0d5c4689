package taskvec.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.model.RuntimeSettings;
import taskvec.model.runtime.LoadedModel;
import taskvec.study.config.Study;
import taskvec.study.config.StudyFileReader;
import taskvec.study.data.DatasetImporter;
import taskvec.workflow.context.RunContext;
import taskvec.workflow.plan.PlannedItem;
import taskvec.workflow.stage.EvaluateStage;
import taskvec.workflow.stage.Stages;

/** Keys are computed before anything runs and change exactly downstream of what changed (no store needed). */
class StudyPlanTest {
    @TempDir static Path dir;
    static LoadedModel model;

    @BeforeAll
    static void load() {
        model = LoadedModel.load(TestStudies.MODEL, RuntimeSettings.defaults());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static RunContext context(Path studyFile) {
        Study study = StudyFileReader.read(studyFile, dir);
        return new RunContext(null, 0, study, DatasetImporter.load(study.datasetRoot(), study.tasks()), RuntimeSettings.defaults(), model,
                null, false);
    }

    static StudyPlan plan(Path studyFile) {
        return new StudyPlan(context(studyFile));
    }

    static List<PlannedItem> testItems(Path studyFile, Map<String, Integer> chosen) {
        RunContext ctx = context(studyFile);
        return new EvaluateStage().testItems(ctx, new StudyPlan(ctx).planned(), chosen);
    }

    static Map<String, String> keys(StudyPlan plan, String stage) {
        return plan.items(stage).stream().collect(Collectors.toMap(PlannedItem::label, i -> i.key().hash(), (a, b) -> a));
    }

    @Test
    void theSameInputsGiveTheSameKeys() throws Exception {
        Path data = TestStudies.copyData(dir.resolve("same"));
        Path file = TestStudies.small(dir, "same", data, TestStudies.MODEL, "");
        for (String stage : Stages.names()) assertEquals(plan(file).stageKey(stage), plan(file).stageKey(stage), stage);
        assertEquals(2 + 1, plan(file).items("capture").size(), "two shards of 8 val items and the instruction");
    }

    @Test
    void aChangedTestImageChangesOnlyTheItemsThatReadIt() throws Exception {
        Path data = TestStudies.copyData(dir.resolve("image"));
        Path file = TestStudies.small(dir, "image", data, TestStudies.MODEL, "");
        Map<String, Integer> chosen = Map.of("text-examples|image|replace", 1, "instruction|image|replace", 2, "ensemble|image|replace", 0);
        StudyPlan before = plan(file);
        Map<String, String> testBefore = testItems(file, chosen).stream()
                .collect(Collectors.toMap(PlannedItem::label, i -> i.key().hash()));
        Files.write(data.resolve("images/w20.png"), new byte[] {1, 2, 3}); // bytes changed (the item would fail to decode)
        StudyPlan after = plan(file);
        for (String stage : List.of("prepare", "capture", "average", "ensemble")) assertEquals(keys(before, stage), keys(after, stage), stage);
        // val evaluate items do not read test images; test items are planned from val results (same here)
        assertEquals(keys(before, "evaluate"), keys(after, "evaluate"));
        Map<String, String> testAfter = testItems(file, chosen).stream()
                .collect(Collectors.toMap(PlannedItem::label, i -> i.key().hash()));
        long changed = testBefore.keySet().stream().filter(k -> !testBefore.get(k).equals(testAfter.get(k))).count();
        assertEquals(1, changed, "only the shard holding w20");
        assertTrue(testBefore.keySet().stream().filter(k -> !testBefore.get(k).equals(testAfter.get(k))).allMatch(k -> k.contains("w18")));
    }

    @Test
    void changingShotsChangesCaptureButNotTheInstructionItem() throws Exception {
        Path data = TestStudies.copyData(dir.resolve("shots"));
        StudyPlan three = plan(TestStudies.small(dir, "three", data, TestStudies.MODEL, ""));
        StudyPlan two = plan(TestStudies.small(dir, "two", data, TestStudies.MODEL, "shots: 2"));
        Map<String, String> a = keys(three, "capture");
        Map<String, String> b = keys(two, "capture");
        a.forEach((label, key) -> {
            if (label.contains("spec=instruction")) return; // its prompt has no demonstrations, but prepare (its input) changed
            assertNotEquals(key, b.get(label), label);
        });
        assertNotEquals(three.stageKey("evaluate"), two.stageKey("evaluate"));
    }

    @Test
    void theAdditiveModeAddsQueryCapturesAndABaselineAndLeavesTheTaskVectorsAlone() throws Exception {
        Path data = TestStudies.copyData(dir.resolve("add"));
        StudyPlan replace = plan(TestStudies.small(dir, "replace-only", data, TestStudies.MODEL, ""));
        StudyPlan both = plan(TestStudies.small(dir, "both", data, TestStudies.MODEL, "interventions: {modes: [replace, add]}"));
        Map<String, String> captureBefore = keys(replace, "capture");
        Map<String, String> captureAfter = keys(both, "capture");
        captureBefore.forEach((label, key) -> assertEquals(key, captureAfter.get(label), label));
        List<String> added = captureAfter.keySet().stream().filter(l -> !captureBefore.containsKey(l)).toList();
        assertEquals(List.of("capture items=w10..w17 seed=0 spec=query:image task=pair-first"), added);
        List<PlannedItem> baselines = both.items("average").stream().filter(i -> i.item().has("domain")).toList();
        assertEquals(1, baselines.size());
        assertEquals("pair", baselines.get(0).item().get("domain").asText());
        keys(replace, "average").forEach((label, key) -> assertEquals(key, keys(both, "average").get(label), label));
        assertNotEquals(keys(replace, "evaluate"), keys(both, "evaluate"));
    }
}
