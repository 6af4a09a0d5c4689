package taskvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static taskvec.cli.CliRun.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.cli.CliRun.Result;
import taskvec.model.bench.HubCacheFolder;
import taskvec.model.files.FileDigests;
import taskvec.model.safetensors.CheckpointFiles;
import taskvec.model.safetensors.DType;
import taskvec.model.safetensors.SafetensorsWriter;

/**
 * workflows/studies/llava-1.5.yaml, unchanged, on a Hugging Face cache holding small random checkpoints under the two
 * revisions it pins: a LLaVA with the embedded organism's tokenizer, vision tower and shapes but random weights and 2
 * decoder layers as llava-hf/llava-1.5-7b-hf, and a random Llama of the same decoder shapes as lmsys/vicuna-7b-v1.5
 * (same layer count and hidden size, so LLM->VLM runs). The values mean nothing; the path is what is tested.
 */
class HubCacheStudyTest extends HeldServerTest {
    static final String TARGET = "llava-hf/llava-1.5-7b-hf";
    static final String TARGET_REVISION = "a272c74b2481d8aff3aa6fc2c4bf891fe57334fb";
    static final String SOURCE = "lmsys/vicuna-7b-v1.5";
    static final String SOURCE_REVISION = "3321f76e3f527bd14065daf69dad9344000a201d";
    static final Path STUDY = SmallStudy.ROOT.resolve("workflows/studies/llava-1.5.yaml");

    @TempDir static Path dir;
    static Path hub;
    static Path target;
    static Path source;

    @BeforeAll
    static void buildCache() throws IOException {
        target = randomCheckpoint(SmallStudy.ROOT.resolve("data/organism"), "", 1, Files.createDirectories(dir.resolve("plain/llava")));
        source = randomCheckpoint(SmallStudy.ROOT.resolve("data/organism"), "text_config", 2,
                Files.createDirectories(dir.resolve("plain/vicuna")));
        hub = dir.resolve("hub");
        HubCacheFolder.add(hub, TARGET, TARGET_REVISION, target, false);
        HubCacheFolder.add(hub, SOURCE, SOURCE_REVISION, source, false);
    }

    /**
     * A checkpoint with the organism's tokenizer and tensor shapes, 2 decoder layers and random weights: the whole
     * LLaVA ({@code part} empty), or its language model alone as a LlamaForCausalLM ({@code part} "text_config").
     */
    static Path randomCheckpoint(Path organism, String part, long seed, Path out) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(organism.resolve("config.json").toFile());
        ((ObjectNode) config.get("text_config")).put("num_hidden_layers", 2);
        String keep = "model.language_model.";
        if (!part.isEmpty()) {
            config = (ObjectNode) config.get(part);
            config.putArray("architectures").add("LlamaForCausalLM");
        } else {
            Files.copy(organism.resolve("preprocessor_config.json"), out.resolve("preprocessor_config.json"));
            keep = "";
        }
        json.writerWithDefaultPrettyPrinter().writeValue(out.resolve("config.json").toFile(), config);
        Files.copy(organism.resolve("tokenizer.json"), out.resolve("tokenizer.json"));
        SafetensorsWriter weights = new SafetensorsWriter().metadata("format", "pt");
        SplittableRandom random = new SplittableRandom(seed);
        try (CheckpointFiles checkpoint = CheckpointFiles.open(organism)) {
            for (String name : checkpoint.names()) {
                if (!name.startsWith(keep) || name.matches(".*language_model\\.layers\\.[2-9].*")) continue;
                long[] shape = checkpoint.info(name).shape();
                float[] values = new float[(int) checkpoint.info(name).elementCount()];
                boolean norm = name.contains("norm") && name.endsWith(".weight");
                double scale = shape.length == 2 ? 1 / Math.sqrt(shape[1]) : 0.02;
                for (int i = 0; i < values.length; i++) values[i] = norm ? 1f : (float) (random.nextGaussian() * scale);
                String stored = part.isEmpty() ? name : "model." + name.substring(keep.length());
                weights.add(stored, DType.F32, shape, values);
            }
        }
        weights.write(out.resolve("model.safetensors"));
        return out;
    }

    /** The CLI in a child JVM whose environment names the cache (as a researcher's shell would). */
    static Result runChild(Map<String, String> env, String... args) throws Exception {
        Path log = Files.createTempFile(dir, "child", ".log");
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dtaskvec.root=" + SmallStudy.ROOT,
                "-cp", System.getProperty("java.class.path"), "taskvec.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("HF_HOME");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(20, TimeUnit.MINUTES), "the child run did not finish");
        return new Result(p.exitValue(), Files.readString(log), "");
    }

    @Test
    void thePinnedRevisionsRunFromTheCacheAndFromFoldersWithTheSameKeys() throws Exception {
        Result fromCache = runChild(Map.of("HF_HUB_CACHE", hub.toString()), "run", STUDY.toString(), "--fresh",
                "--name", "llava-1.5-hub");
        assertEquals(0, fromCache.code(), fromCache.out());
        long id = SmallStudy.runId(fromCache.out());
        assertTrue(fromCache.out().contains("run " + id + ": done"), fromCache.out());
        String models = SmallStudy.text(held, "SELECT models::text FROM runs WHERE id = ?", id);
        assertTrue(models.contains(hub.resolve("models--llava-hf--llava-1.5-7b-hf/snapshots/" + TARGET_REVISION).toString()), models);
        assertTrue(models.contains(hub.resolve("models--lmsys--vicuna-7b-v1.5/snapshots/" + SOURCE_REVISION).toString()), models);
        assertTrue(SmallStudy.scalar(held, "SELECT count(*) FROM vectors WHERE run_id = ? AND spec LIKE 'source:%'", id) > 0,
                "LLM->VLM vectors from the source model");
        assertTrue(SmallStudy.scalar(held, "SELECT count(*) FROM predictions WHERE run_id = ?", id) > 0);

        // the same study from plain folders: the files hash alike (blob names are their SHA-256), so every key matches
        Result fromDirs = run("run", STUDY.toString(), "--model-dir", target.toString(), "--source-dir", source.toString(),
                "--name", "llava-1.5-dirs");
        assertEquals(0, fromDirs.code(), fromDirs.out() + fromDirs.err());
        assertTrue(fromDirs.out().contains("work items reused from earlier runs with the same keys (nothing recomputed)"),
                fromDirs.out());
        long dirsRun = SmallStudy.runId(fromDirs.out());

        // a second process reads no model file in full: the hashes are remembered in the home
        FileDigests.forgetThisProcess();
        long before = FileDigests.bytesHashed();
        Result explain = run("explain", Long.toString(dirsRun));
        assertEquals(0, explain.code(), explain.err());
        assertTrue(explain.out().contains("inputs unchanged"), explain.out());
        long hashed = FileDigests.bytesHashed() - before;
        assertTrue(hashed < Files.size(target.resolve("model.safetensors")) / 100,
                "explain hashed " + hashed + " bytes (images of the dataset at most, no model file)");

        // --rehash reads them all again and still agrees
        long beforeRehash = FileDigests.bytesHashed();
        Result rehashed = run("explain", Long.toString(dirsRun), "--rehash");
        assertEquals(0, rehashed.code(), rehashed.err());
        assertTrue(FileDigests.bytesHashed() - beforeRehash >= Files.size(target.resolve("model.safetensors")),
                "--rehash reads the weights again");
        assertTrue(rehashed.out().contains("inputs unchanged"), rehashed.out());
    }

    @Test
    void aModelInNoCacheNamesEveryPathTriedBeforeAnythingLoads() throws Exception {
        long runsBefore = SmallStudy.scalar(held, "SELECT count(*) FROM runs");
        Path elsewhere = Files.createDirectories(dir.resolve("other-hub"));
        Result r = runChild(Map.of("HF_HUB_CACHE", elsewhere.toString(), "HF_HOME", dir.resolve("hf-home").toString()),
                "run", STUDY.toString(), "--model-dir", target.toString());
        assertEquals(2, r.code(), r.out());
        assertTrue(r.out().contains("models.source: lmsys/vicuna-7b-v1.5@" + SOURCE_REVISION + ": model folder not found"), r.out());
        assertTrue(r.out().contains(elsewhere.resolve("models--lmsys--vicuna-7b-v1.5/snapshots/" + SOURCE_REVISION).toString()), r.out());
        assertTrue(r.out().contains(dir.resolve("hf-home/hub/models--lmsys--vicuna-7b-v1.5/snapshots/" + SOURCE_REVISION).toString()),
                r.out());
        assertTrue(r.out().contains("--source-dir"), r.out());
        assertEquals(runsBefore, SmallStudy.scalar(held, "SELECT count(*) FROM runs"), "nothing written");
    }
}
