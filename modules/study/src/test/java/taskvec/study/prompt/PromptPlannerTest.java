package taskvec.study.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import taskvec.study.StudyInputException;
import taskvec.study.data.Dataset;
import taskvec.study.data.Split;
import taskvec.study.data.TaskItem;
import taskvec.study.design.StudyPrompts;

class PromptPlannerTest {
    static Dataset dataset(int n) {
        List<TaskItem> val = new ArrayList<>();
        List<TaskItem> test = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            val.add(new TaskItem("v" + i, "in" + i, "out" + i, "img/v" + i + ".png"));
            test.add(new TaskItem("t" + i, "tin" + i, "tout" + i, "img/t" + i + ".png"));
        }
        return new Dataset(Path.of("/data"), Map.of("t", Map.of(Split.VAL, val, Split.TEST, test)));
    }

    @Test
    void sourcePromptIsNDemonstrationsThenTheQuery() {
        Dataset ds = dataset(8);
        PromptPlanner planner = new PromptPlanner(ds, 5, "<image>");
        TaskItem q = ds.items("t", Split.VAL).get(2);
        PlannedPrompt p = planner.source("t", 1, Split.VAL, q, Specification.TEXT_EXAMPLES);
        StringBuilder expected = new StringBuilder();
        for (String id : p.demos()) {
            TaskItem d = ds.item("t", Split.VAL, id);
            expected.append("Q:").append(d.input()).append("\nA:").append(d.output()).append("\n\n");
        }
        expected.append("Q:in2\nA:");
        assertEquals(expected.toString(), p.text());
        assertEquals(5, p.demos().size());
        assertTrue(!p.demos().contains("v2"));
        assertEquals(List.of(), p.images());
        // the read prefix ends at the ':' after 'A' of the last demonstration: the third ':' from the end
        String lastOut = ds.item("t", Split.VAL, p.demos().get(4)).output();
        assertTrue(p.readPrefix().endsWith("\nA:"));
        assertEquals(p.readPrefix() + lastOut + "\n\nQ:in2\nA:", p.text());
        int colonsAfter = p.text().substring(p.readPrefix().length()).replaceAll("[^:]", "").length();
        assertEquals(2, colonsAfter);
        assertEquals(PromptRole.SOURCE, p.role());
        assertEquals(1, p.seed());
    }

    @Test
    void imageItemsShowThePlaceholderAndListTheirImagesInOrder() {
        Dataset ds = dataset(8);
        PromptPlanner planner = new PromptPlanner(ds, 5, "<image>");
        TaskItem q = ds.items("t", Split.TEST).get(0);
        PlannedPrompt p = planner.context("t", 3, Split.TEST, q, Modality.TEXT, Modality.IMAGE);
        assertTrue(p.text().endsWith("\n\nQ:<image>\nA:"), p.text());
        assertEquals(List.of("img/t0.png"), p.images());
        assertNull(p.readPrefix());
        assertEquals(Specification.TEXT_EXAMPLES, p.spec());
        assertEquals(Modality.IMAGE, p.modality());
        // the context prompt's demonstrations come from the same split and key as a source prompt's
        assertEquals(planner.source("t", 3, Split.TEST, q, Specification.TEXT_EXAMPLES).demos(), p.demos());

        PlannedPrompt img = planner.source("t", 1, Split.VAL, ds.items("t", Split.VAL).get(0), Specification.IMAGE_EXAMPLES);
        assertEquals(6, img.images().size());
        assertEquals("img/v0.png", img.images().get(5));
        assertEquals(img.demos().stream().map(id -> "img/" + id + ".png").toList(), img.images().subList(0, 5));
        assertTrue(img.text().startsWith("Q:<image>\nA:"));
    }

    @Test
    void queriesAndInstructions() {
        Dataset ds = dataset(6);
        PromptPlanner planner = new PromptPlanner(ds, 5, "<image>");
        PlannedPrompt q = planner.query("t", Split.VAL, ds.items("t", Split.VAL).get(1), Modality.TEXT);
        assertEquals("Q:in1\nA:", q.text());
        assertNull(q.seed());
        assertNull(q.readPrefix());
        PlannedPrompt i = planner.instruction("t", "The capital city of the country:");
        assertEquals("The capital city of the country:", i.text());
        assertEquals(i.text(), i.readPrefix());
    }

    @Test
    void imagePromptsNeedAPlaceholderAndAnImage() {
        Dataset ds = dataset(6);
        StudyInputException e = assertThrows(StudyInputException.class,
                () -> new PromptPlanner(ds, 5, null).query("t", Split.VAL, ds.items("t", Split.VAL).get(0), Modality.IMAGE));
        assertTrue(e.getMessage().contains("need a vision-language model"), e.getMessage());
        Dataset noImages = new Dataset(Path.of("/d"), Map.of("t", Map.of(Split.VAL, List.of(new TaskItem("a", "x", "y", null)))));
        e = assertThrows(StudyInputException.class,
                () -> new PromptPlanner(noImages, 5, "<image>").query("t", Split.VAL, noImages.items("t", Split.VAL).get(0), Modality.IMAGE));
        assertEquals("/d: task 't' item 'a' has no image, but an image prompt needs it", e.getMessage());
    }

    @Test
    void studyPromptsListEverythingTheStudyRunsInAStableOrder(@org.junit.jupiter.api.io.TempDir Path dir) throws java.io.IOException {
        Path file = dir.resolve("s.yaml");
        java.nio.file.Files.writeString(file, "models: {target: {hf: org/m}}\ntasks: [t]\nseeds: [1, 2]\n"
                + "specifications: {instructions: {t: \"Do t:\"}}\n");
        taskvec.study.config.Study study = taskvec.study.config.StudyFileReader.read(file, dir);
        Dataset ds = dataset(8);
        List<PlannedPrompt> all = StudyPrompts.of(study, ds, "<image>", StudyPrompts.Filter.ALL);
        java.util.Map<String, Long> counts = new java.util.TreeMap<>();
        for (PlannedPrompt p : all) counts.merge(p.role().label() + "/" + (p.spec() == null ? "query" : p.spec().label()) + "/" + p.modality().label(), 1L, Long::sum);
        // source: 8 val items x 2 seeds x {text, image} examples + 1 instruction; queries: 16 items x {image, text};
        // context: 16 items x 2 seeds x 4 pairs
        assertEquals(java.util.Map.of(
                "source/text-examples/text", 16L, "source/image-examples/image", 16L, "source/instruction/text", 1L,
                "query/query/image", 16L, "query/query/text", 16L,
                "context/text-examples/image", 32L, "context/image-examples/image", 32L,
                "context/text-examples/text", 32L, "context/image-examples/text", 32L), counts);
        assertEquals(all, StudyPrompts.of(study, ds, "<image>", StudyPrompts.Filter.ALL));
        List<PlannedPrompt> some = StudyPrompts.of(study, ds, "<image>", new StudyPrompts.Filter("t", 2, Split.TEST));
        assertEquals(16 + 32, some.size()); // test queries (2 modalities) and seed-2 context prompts (4 pairs)
        for (PlannedPrompt p : some) {
            assertEquals(Split.TEST, p.split());
            assertTrue(p.seed() == null || p.seed() == 2);
            assertTrue(p.role() != PromptRole.SOURCE);
        }
    }
}
