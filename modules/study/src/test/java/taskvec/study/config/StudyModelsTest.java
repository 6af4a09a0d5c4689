package taskvec.study.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.model.ModelLoadException;
import taskvec.model.RuntimeSettings;
import taskvec.model.bench.HubCacheFolder;
import taskvec.study.StudyInputException;

/** A study's models are located (folder, study dir, or hub cache) and checked before anything loads. */
class StudyModelsTest {
    static final Path ROOT = Path.of(System.getProperty("taskvec.root", "../..")).toAbsolutePath().normalize();
    static final Path FIXTURES = ROOT.resolve("modules/model/src/test/resources/fixtures");
    static final String REV_T = "a111111111111111111111111111111111111111";
    static final String REV_S = "b222222222222222222222222222222222222222";

    private static Study study(Path dir, String models) throws IOException {
        Path file = dir.resolve("study.yaml");
        Files.writeString(file, "models: " + models + "\ndataset: {root: " + ROOT.resolve("data/fixture-study") + "}\n"
                + "tasks: [pair-first]\nspecifications: {instructions: false}\n");
        return StudyFileReader.read(file, dir);
    }

    @Test
    void hubIdsResolveToTheirPinnedSnapshotsAndFoldersOverride(@TempDir Path dir) throws IOException {
        Path hub = dir.resolve("hub");
        Path t = HubCacheFolder.add(hub, "org/vlm", REV_T, FIXTURES.resolve("llava-clip-llama/model"), false);
        Path s = HubCacheFolder.add(hub, "org/llm", REV_S, FIXTURES.resolve("llava-clip-llama/model"), false);
        Study study = study(dir, "{target: {hf: org/vlm, revision: " + REV_T + "}, source: {hf: org/llm, revision: " + REV_S + "}}");
        Study located = StudyModels.locate(study, null, null, Map.of("HF_HUB_CACHE", hub.toString()));
        assertEquals(t, located.models().target().dir());
        assertEquals(s, located.models().source().dir());
        assertEquals("org/vlm", located.models().target().hf());
        StudyModels.Checked checked = StudyModels.check(located, RuntimeSettings.defaults());
        assertEquals(4, checked.source().config().text().numLayers());

        Path plain = FIXTURES.resolve("llava-clip-llama/model").toAbsolutePath().normalize();
        Study overridden = StudyModels.locate(study, plain, plain, Map.of());
        assertEquals(plain, overridden.models().target().dir());
        assertEquals(plain, overridden.models().source().dir());
    }

    @Test
    void aMissingModelNamesEveryPathTried(@TempDir Path dir) throws IOException {
        Study study = study(dir, "{target: {dir: nowhere, hf: org/vlm, revision: " + REV_T + "}}");
        StudyInputException e = assertThrows(StudyInputException.class, () -> StudyModels.locate(study, null, null,
                Map.of("HF_HUB_CACHE", dir.resolve("a").toString(), "HF_HOME", dir.resolve("b").toString())));
        assertTrue(e.getMessage().startsWith(study.file() + ": models.target: "), e.getMessage());
        for (Path p : new Path[] {dir.resolve("nowhere"), dir.resolve("a/models--org--vlm/snapshots/" + REV_T),
                dir.resolve("b/hub/models--org--vlm/snapshots/" + REV_T)}) {
            assertTrue(e.getMessage().contains(p.toString()), p + " in " + e.getMessage());
        }
        StudyInputException flag = assertThrows(StudyInputException.class,
                () -> StudyModels.locate(study, dir.resolve("gone"), null, Map.of()));
        assertTrue(flag.getMessage().contains("--model-dir " + dir.resolve("gone") + ": not a folder"), flag.getMessage());
    }

    @Test
    void anLlmOfAnotherShapeIsRefusedBeforeLoading(@TempDir Path dir) throws IOException {
        Study study = study(dir, "{target: {dir: " + FIXTURES.resolve("llava-clip-llama/model") + "}, source: {dir: "
                + FIXTURES.resolve("llava-siglip-qwen2/model") + "}}");
        StudyInputException e = assertThrows(StudyInputException.class,
                () -> StudyModels.check(StudyModels.locate(study, null, null, Map.of()), RuntimeSettings.defaults()));
        assertTrue(e.getMessage().contains("layer counts and hidden sizes must match"), e.getMessage());
    }

    @Test
    void modelsThatCannotFitTheDeviceAreRefusedWithTheNumbers(@TempDir Path dir) throws IOException {
        // the fixture's files with a config claiming 1024 layers of width 65536: a KV cache no machine here holds
        Path model = Files.createDirectories(dir.resolve("huge"));
        try (Stream<Path> files = Files.list(FIXTURES.resolve("llama-sharded/model"))) {
            for (Path f : files.toList()) Files.copy(f, model.resolve(f.getFileName()));
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(model.resolve("config.json").toFile());
        config.put("num_hidden_layers", 1024).put("hidden_size", 65536).put("num_attention_heads", 512).put("num_key_value_heads", 512);
        json.writeValue(model.resolve("config.json").toFile(), config);
        Study study = study(dir, "{target: {dir: " + model + "}}");
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> StudyModels.check(StudyModels.locate(study, null, null, Map.of()), RuntimeSettings.defaults()));
        assertTrue(e.getMessage().matches(".*the models need about [0-9.]+ GiB in float32 \\(target .* GiB \\(weights .*\\)\\) but cpu has [0-9.]+ GiB.*"),
                e.getMessage());
    }
}
