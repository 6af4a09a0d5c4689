package taskvec.study.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.study.StudyInputException;
import taskvec.study.prompt.Modality;
import taskvec.study.prompt.ModalityPair;

class StudyFileReaderTest {
    static final Path ROOT = Path.of(System.getProperty("taskvec.root", "../.."));

    @TempDir Path dir;

    private Path write(String yaml) throws IOException {
        Path f = dir.resolve("study.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private Study read(String yaml) throws IOException {
        return StudyFileReader.read(write(yaml), dir);
    }

    private String error(String yaml) throws IOException {
        Path f = write(yaml);
        StudyInputException e = assertThrows(StudyInputException.class, () -> StudyFileReader.read(f, dir));
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        return e.getMessage().substring(f.toString().length() + 2);
    }

    @Test
    void defaultsReproduceThePaper() throws IOException {
        Study s = read("models: {target: {dir: models/vlm}}\n");
        assertEquals(dir.resolve("models/vlm"), s.models().target().dir());
        assertNull(s.models().source());
        assertEquals(dir.resolve("data/tasks"), s.datasetRoot());
        assertEquals(PaperDefaults.TASKS, s.tasks());
        assertEquals(List.of(1, 2, 3), s.seeds());
        assertTrue(s.specifications().textExamples());
        assertTrue(s.specifications().imageExamples());
        assertEquals("The capital city of the country:", s.specifications().instructions().get("country-capital"));
        assertEquals("The scientific name of the animal's species in latin:", s.specifications().instructions().get("animal-latin"));
        assertEquals(6, s.specifications().instructions().size());
        assertEquals(List.of(new ModalityPair(Modality.TEXT, Modality.IMAGE), new ModalityPair(Modality.IMAGE, Modality.IMAGE),
                new ModalityPair(Modality.TEXT, Modality.TEXT), new ModalityPair(Modality.IMAGE, Modality.TEXT)), s.modalityPairs());
        assertEquals(5, s.shots());
        assertNull(s.layers());
        assertEquals(List.of(0, 1, 2, 3), s.resolveLayers(4));
        assertEquals(new Study.Decoding(1, true), s.decoding());
        assertFalse(s.lowercase());
        assertEquals(new Study.Interventions(List.of(InterventionMode.REPLACE), List.of(1.0)), s.interventions());
        assertFalse(s.sampleEfficiency().enabled());
        assertEquals(6, s.sampleEfficiency().maxPrompts());
        assertFalse(s.ensembling().enabled());
        assertEquals(224, s.preResizeWidth());
    }

    @Test
    void everySettingCanBeGiven() throws IOException {
        Study s = read("""
                models:
                  target: {dir: /m/vlm, hf: llava-hf/llava-1.5-7b-hf, revision: a272c74b2481d8aff3aa6fc2c4bf891fe57334fb}
                  source: {dir: /m/llm}
                dataset: {root: custom}
                tasks: [a, b]
                seeds: [7]
                specifications:
                  text_examples: true
                  image_examples: false
                  instructions: {a: "Do a:", b: "Do b:"}
                modality_pairs: [text->text]
                shots: 3
                layers: [2, 0]
                decoding: {max_new_tokens: 4, stop_at_newline: false}
                lowercase: true
                interventions: {modes: [replace, add], alphas: [0.5, 2]}
                sample_efficiency: {enabled: true, max_prompts: 4}
                ensembling: {exemplar_weight: 0.25, instruction_weight: 0.75}
                pre_resize_width: null
                """);
        assertEquals(Path.of("/m/llm"), s.models().source().dir());
        assertEquals(dir.resolve("custom"), s.datasetRoot());
        assertEquals(List.of(0, 2), s.layers());
        assertEquals(List.of(InterventionMode.REPLACE, InterventionMode.ADD), s.interventions().modes());
        assertEquals(List.of(0.5, 2.0), s.interventions().alphas());
        assertEquals(new Study.SampleEfficiency(true, 4), s.sampleEfficiency());
        assertEquals(new Study.Ensembling(true, 0.25, 0.75), s.ensembling());
        assertNull(s.preResizeWidth());
        assertEquals("Do b:", s.specifications().instructions().get("b"));
        StudyInputException e = assertThrows(StudyInputException.class, () -> s.resolveLayers(2));
        assertTrue(e.getMessage().endsWith("layers[1]: layer 2 does not exist (the model has 2 layers, 0..1)"), e.getMessage());
    }

    @Test
    void describedSettingsReadBackToTheSameStudy() throws IOException {
        Study s = read("models: {target: {dir: /m/vlm}, source: {hf: lmsys/vicuna-7b-v1.5}}\ninterventions: {modes: [add]}\n");
        Path again = dir.resolve("again.yaml");
        Files.writeString(again, StudyFileReader.describeYaml(s));
        Study t = StudyFileReader.read(again, dir);
        assertEquals(StudyFileReader.describe(s), StudyFileReader.describe(t));
    }

    @Test
    void unknownKeysAndImpossibleValuesNameTheKeyPath() throws IOException {
        String m = "models: {target: {dir: /m}}\n";
        assertEquals("seeds[1]: must be a positive integer", error(m + "seeds: [1, -2]"));
        assertEquals("seeds[1]: must be a positive integer", error(m + "seeds: [1, two]"));
        assertEquals("seeds[1]: duplicate 1", error(m + "seeds: [1, 1]"));
        assertEquals("seed: unknown key (known here: models, dataset, tasks, seeds, specifications, modality_pairs, shots, "
                + "layers, decoding, lowercase, interventions, sample_efficiency, ensembling, pre_resize_width, analyses)", error(m + "seed: [1]"));
        assertTrue(error(m + "decoding: {max_tokens: 3}").startsWith("decoding.max_tokens: unknown key"));
        assertTrue(error("models: {target: {dir: /m, revison: abc}}").startsWith("models.target.revison: unknown key"));
        assertEquals("decoding.max_new_tokens: must be a positive integer", error(m + "decoding: {max_new_tokens: 0}"));
        assertEquals("shots: must be a positive integer", error(m + "shots: 2.5"));
        assertEquals("layers[1]: must be an integer >= 0", error(m + "layers: [0, -1]"));
        assertEquals("layers: must be 'all' or a list of layer indices", error(m + "layers: some"));
        assertEquals("modality_pairs[0]: modality must be text or image, got 'audio'", error(m + "modality_pairs: [audio->text]"));
        assertEquals("interventions.modes[0]: must be replace or add, got 'steer'", error(m + "interventions: {modes: [steer]}"));
        assertEquals("interventions.alphas[0]: must not be 0 (a zero alpha patches nothing)", error(m + "interventions: {alphas: [0]}"));
        assertEquals("lowercase: must be true or false", error(m + "lowercase: yes please"));
        assertEquals("pre_resize_width: must be a positive integer", error(m + "pre_resize_width: 0"));
        assertEquals("models: missing (models.target is required)", error("seeds: [1]"));
        assertEquals("models.target: needs dir (a local model folder) or hf (its hub id, with the folder given at run time)",
                error("models: {target: {}}"));
        assertEquals("models.target.revision: needs hf (the revision of which hub model?)", error("models: {target: {dir: /m, revision: abc}}"));
        assertEquals("models.target.hf: must be a hub id such as llava-hf/llava-1.5-7b-hf", error("models: {target: {hf: llava}}"));
        assertTrue(error(m + "tasks: [custom-task]").startsWith("specifications.instructions: no instruction for task 'custom-task'"));
        assertEquals("specifications.instructions.a: must end with ':' (its last token is the read position)",
                error(m + "tasks: [a]\nspecifications: {instructions: {a: \"Do a\"}}"));
        assertEquals("specifications.instructions.z: not one of the study's tasks",
                error(m + "tasks: [a]\nspecifications: {instructions: {a: \"Do a:\", z: \"Do z:\"}}"));
        assertEquals("modality_pairs: image->text needs a image specification, but specifications disables it",
                error(m + "specifications: {image_examples: false}\nmodality_pairs: [image->text]"));
        assertEquals("ensembling: needs specifications.instructions (it averages exemplar and instruction vectors)",
                error(m + "specifications: {instructions: false}\nensembling: true"));
        assertTrue(error(m + "seeds: [1\n").startsWith("not valid YAML"));
        assertEquals("the study file is empty (models.target is required)", error(""));
    }

    @Test
    void limitsRefuseWhatNoStudyNeedsWithTheBound() throws IOException {
        String m = "models: {target: {dir: /m}}\n";
        assertEquals("decoding.max_new_tokens: must be at most 64, got 1000000000", error(m + "decoding: {max_new_tokens: 1000000000}"));
        assertEquals("decoding.max_new_tokens: must be at most 64, got 99999999999", error(m + "decoding: {max_new_tokens: 99999999999}"));
        assertEquals("shots: must be at most 64, got 500", error(m + "shots: 500"));
        assertEquals("seeds: 33 entries, more than the limit of 32",
                error(m + "seeds: [" + String.join(", ", java.util.stream.IntStream.rangeClosed(1, 33).mapToObj(Integer::toString).toList()) + "]"));
        assertEquals("layers[0]: must be at most 1023, got 5000", error(m + "layers: [5000]"));
        assertEquals("sample_efficiency.max_prompts: must be at most 64, got 100", error(m + "sample_efficiency: {max_prompts: 100}"));
        assertEquals("pre_resize_width: must be at most 4096, got 100000", error(m + "pre_resize_width: 100000"));
        assertEquals("interventions.alphas: 17 entries, more than the limit of 16", error(m + "interventions: {alphas: ["
                + String.join(", ", java.util.stream.IntStream.rangeClosed(1, 17).mapToObj(Integer::toString).toList()) + "]}"));
    }

    @Test
    void taskNamesThatWouldLeaveTheAnnotationsFolderAreRefused() throws IOException {
        String m = "models: {target: {dir: /m}}\nspecifications: {instructions: false}\n";
        for (String bad : new String[] {"../../etc/passwd", "a/b", "..", ".hidden", "-a", "a b", "x".repeat(65)}) {
            String e = error(m + "tasks: [\"" + bad + "\"]");
            assertTrue(e.startsWith("tasks[0]: task name '" + bad + "' must be 1-64 letters, digits, '-' or '_'"), e);
        }
        assertEquals(List.of("country-capital", "my_task2"), read(m + "tasks: [country-capital, my_task2]").tasks());
    }

    @Test
    void duplicateKeysAreAnErrorNotTheLastOneWinning() throws IOException {
        String e = error("models: {target: {dir: /m}}\nshots: 3\nshots: 2\n");
        assertTrue(e.startsWith("not valid YAML: duplicate key 'shots'"), e);
        assertTrue(e.contains("(line 3)"), e);
        String nested = error("models: {target: {dir: /m, dir: /n}}\n");
        assertTrue(nested.startsWith("not valid YAML: duplicate key 'dir'"), nested);
    }

    @Test
    void anOversizedFileIsRefusedBeforeParsing() throws IOException {
        // one 50 MB quoted scalar: parsing it would take many minutes; the size check answers at once
        Path f = dir.resolve("huge.yaml");
        try (var out = Files.newBufferedWriter(f)) {
            out.write("models: {target: {dir: /m}}\nname: \"");
            char[] chunk = new char[1 << 20];
            java.util.Arrays.fill(chunk, 'a');
            for (int i = 0; i < 50; i++) out.write(chunk);
            out.write("\"\n");
        }
        long start = System.nanoTime();
        StudyInputException e = assertThrows(StudyInputException.class, () -> StudyFileReader.read(f, dir));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(f + ": " + Files.size(f) + " bytes, more than a study file may have (1048576 bytes; a study file is a few kilobytes)",
                e.getMessage());
        assertTrue(millis < 1000, millis + " ms");
    }

    @Test
    void thePapersMainStudyFileValidates() {
        Path file = ROOT.resolve("workflows/studies/llava-1.5.yaml");
        Study s = StudyFileReader.read(file, ROOT);
        assertEquals("llava-hf/llava-1.5-7b-hf", s.models().target().hf());
        assertEquals("a272c74b2481d8aff3aa6fc2c4bf891fe57334fb", s.models().target().revision());
        assertNotNull(s.models().source());
        assertEquals("lmsys/vicuna-7b-v1.5", s.models().source().hf());
        assertEquals("3321f76e3f527bd14065daf69dad9344000a201d", s.models().source().revision());
        assertEquals(List.of(new ModalityPair(Modality.TEXT, Modality.IMAGE)), s.modalityPairs());
        assertEquals(PaperDefaults.TASKS, s.tasks());
        assertEquals(List.of(1, 2, 3), s.seeds());
        assertEquals(5, s.shots());
        assertNull(s.layers());
        assertEquals(ROOT.toAbsolutePath().normalize().resolve("data/tasks"), s.datasetRoot());
        assertEquals(PaperDefaults.INSTRUCTIONS, s.specifications().instructions());
        assertEquals(224, s.preResizeWidth());
    }

    @Test
    void everyStudyFileInTheProjectValidates() throws IOException {
        try (var files = Files.list(ROOT.resolve("workflows/studies"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                assertNotNull(StudyFileReader.read(f, ROOT), f.toString());
            }
        }
    }
}
