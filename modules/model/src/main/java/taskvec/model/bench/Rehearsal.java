package taskvec.model.bench;

import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import taskvec.model.RuntimeSettings;
import taskvec.model.files.FileDigests;
import taskvec.model.files.HubCache;
import taskvec.model.files.ModelFolder;
import taskvec.model.runtime.LoadedModel;
import taskvec.model.runtime.MemoryEstimate;
import taskvec.model.safetensors.DType;
import taskvec.model.safetensors.SafetensorsWriter;

/**
 * A 7B-shaped rehearsal of the real-model path: a random Llama with LLaVA-1.5-7B's decoder shapes (hidden 4096, 32
 * heads, MLP 11008, vocabulary 32064, untied head) but {@code layers} layers, stored as F16 in two shards, put into
 * a Hugging Face cache layout, located there by hub id and revision, hashed (by blob name, then in full as
 * {@code --rehash} would), checked and estimated, loaded, and timed: one forward pass and one full layer sweep.
 * The values mean nothing; the sizes are what a 7B run moves per layer.
 */
public final class Rehearsal {

    public static final String REPO = "taskvec/rehearsal-llava-1.5-7b-shapes";
    public static final String REVISION = "7b0000000000000000000000000000000000000b";

    /** What the rehearsal measured; seconds are wall-clock on this machine. */
    public record Result(int layers, long values, long storedBytes, List<Long> shardBytes, double writeSeconds,
                         long bytesHashedByName, double fullHashSeconds, long bytesHashedFully, MemoryEstimate float16,
                         MemoryEstimate float32, double loadSeconds, ModelBenchmark.Result bench) {}

    private Rehearsal() {}

    public static Result run(Path work, int layers, RuntimeSettings settings, int promptTokens, int repeats) {
        Path plain = work.resolve("plain");
        Path hub = work.resolve("hub");
        long t0 = System.nanoTime();
        List<Long> shards = write(plain, layers);
        HubCacheFolder.add(hub, REPO, REVISION, plain, true);
        double writeSeconds = (System.nanoTime() - t0) / 1e9;

        Path snapshot = HubCache.snapshot(REPO, REVISION, Map.of("HF_HUB_CACHE", hub.toString()));
        long before = FileDigests.bytesHashed();
        hashAll(snapshot);
        long byName = FileDigests.bytesHashed() - before;
        FileDigests.rehash(true);
        long t1 = System.nanoTime();
        hashAll(snapshot);
        double fullHash = (System.nanoTime() - t1) / 1e9;
        FileDigests.rehash(false);
        long fully = FileDigests.bytesHashed() - before - byName;

        ModelFolder.Checked checked = ModelFolder.check(snapshot);
        MemoryEstimate f16 = MemoryEstimate.of(checked, DataType.FLOAT16, MemoryEstimate.DEFAULT_TOKENS, 1);
        MemoryEstimate f32 = MemoryEstimate.of(checked, DataType.FLOAT32, MemoryEstimate.DEFAULT_TOKENS, 1);
        long t2 = System.nanoTime();
        try (LoadedModel model = LoadedModel.load(snapshot, settings)) {
            double loadSeconds = (System.nanoTime() - t2) / 1e9;
            ModelBenchmark.Result bench = new ModelBenchmark(repeats).run("7b-shapes-" + layers + "-layers", model, promptTokens, 2);
            return new Result(layers, checked.storedValues(), checked.storedBytes(), shards, writeSeconds, byName, fullHash,
                    fully, f16, f32, loadSeconds, bench);
        }
    }

    private static void hashAll(Path dir) {
        try (var files = Files.list(dir)) {
            files.sorted().forEach(FileDigests::sha256);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The random checkpoint: embeddings and the first half of the layers in shard 1, the rest and the head in 2. */
    static List<Long> write(Path dir, int layers) {
        int hidden = 4096;
        int heads = 32;
        int intermediate = 11008;
        int vocab = 32064;
        RandomModelFolder.Spec spec = new RandomModelFolder.Spec(layers, hidden, heads, heads, intermediate, vocab, 1);
        try {
            Files.createDirectories(dir);
            RandomModelFolder.writeConfigAndTokenizer(dir, spec, false, "float16");
            String[] shardNames = {"model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"};
            SafetensorsWriter[] shards = {new SafetensorsWriter().metadata("format", "pt"), new SafetensorsWriter().metadata("format", "pt")};
            Map<String, String> weightMap = new LinkedHashMap<>();
            add(shards, shardNames, weightMap, 0, "model.embed_tokens.weight", new long[] {vocab, hidden}, 0.02);
            double std = 1 / Math.sqrt(hidden);
            for (int l = 0; l < layers; l++) {
                int s = l < (layers + 1) / 2 ? 0 : 1;
                String p = "model.layers." + l + ".";
                for (String proj : new String[] {"q_proj", "k_proj", "v_proj", "o_proj"}) {
                    add(shards, shardNames, weightMap, s, p + "self_attn." + proj + ".weight", new long[] {hidden, hidden}, std);
                }
                add(shards, shardNames, weightMap, s, p + "mlp.gate_proj.weight", new long[] {intermediate, hidden}, std);
                add(shards, shardNames, weightMap, s, p + "mlp.up_proj.weight", new long[] {intermediate, hidden}, std);
                add(shards, shardNames, weightMap, s, p + "mlp.down_proj.weight", new long[] {hidden, intermediate},
                        1 / Math.sqrt(intermediate));
                add(shards, shardNames, weightMap, s, p + "input_layernorm.weight", new long[] {hidden}, -1);
                add(shards, shardNames, weightMap, s, p + "post_attention_layernorm.weight", new long[] {hidden}, -1);
            }
            add(shards, shardNames, weightMap, 1, "model.norm.weight", new long[] {hidden}, -1);
            add(shards, shardNames, weightMap, 1, "lm_head.weight", new long[] {vocab, hidden}, std);
            List<Long> sizes = new ArrayList<>();
            for (int s = 0; s < 2; s++) {
                shards[s].write(dir.resolve(shardNames[s]));
                sizes.add(Files.size(dir.resolve(shardNames[s])));
            }
            ObjectMapper json = new ObjectMapper();
            ObjectNode index = json.createObjectNode();
            index.putObject("metadata").put("total_size", sizes.get(0) + sizes.get(1));
            ObjectNode map = index.putObject("weight_map");
            weightMap.forEach(map::put);
            json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("model.safetensors.index.json").toFile(), index);
            return sizes;
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot write the rehearsal checkpoint: " + e.getMessage(), e);
        }
    }

    /** A tensor of uniform random values with standard deviation {@code std} (ones for {@code std < 0}), streamed. */
    private static void add(SafetensorsWriter[] shards, String[] names, Map<String, String> weightMap, int shard, String name,
                            long[] shape, double std) {
        double half = std * Math.sqrt(3);
        long seed = name.hashCode();
        shards[shard].add(name, DType.F16, shape, (first, chunk) -> {
            if (std < 0) {
                java.util.Arrays.fill(chunk, 1f);
                return;
            }
            SplittableRandom random = new SplittableRandom(seed * 31 + first);
            for (int i = 0; i < chunk.length; i++) chunk[i] = (float) ((random.nextDouble() * 2 - 1) * half);
        });
        weightMap.put(name, names[shard]);
    }
}
