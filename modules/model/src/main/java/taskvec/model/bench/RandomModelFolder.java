package taskvec.model.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import taskvec.model.safetensors.DType;
import taskvec.model.safetensors.SafetensorsWriter;

/**
 * Writes a Llama causal LM with random weights as an ordinary Hugging Face folder (config.json,
 * model.safetensors, a word-level tokenizer.json), so benchmarks run a model of a chosen size through
 * the same loading code as a real checkpoint. The values mean nothing; the shapes are what matter.
 */
public final class RandomModelFolder {

    /** Sizes of the generated decoder. */
    public record Spec(int layers, int hidden, int heads, int kvHeads, int intermediate, int vocab, long seed) {
        /** About 50M parameters: 8 layers, hidden 768 (the benchmark's model). */
        public static Spec benchmark() {
            return new Spec(8, 768, 12, 12, 1536, 4096, 1);
        }

        public long parameterCount() {
            long headDim = hidden / heads;
            long attn = 2L * hidden * hidden + 2L * hidden * kvHeads * headDim;
            long mlp = 3L * hidden * intermediate;
            return (long) vocab * hidden + layers * (attn + mlp + 2L * hidden) + hidden;
        }
    }

    private RandomModelFolder() {}

    public static Path write(Path dir, Spec spec) {
        try {
            Files.createDirectories(dir);
            writeConfig(dir, spec);
            writeTokenizer(dir, spec.vocab());
            writeWeights(dir, spec);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot write the random model: " + e.getMessage(), e);
        }
    }

    /** config.json and tokenizer.json of a random model (weights written by the caller), tied or untied head. */
    static void writeConfigAndTokenizer(Path dir, Spec spec, boolean tied, String torchDtype) throws IOException {
        writeConfig(dir, spec);
        ObjectMapper json = new ObjectMapper();
        ObjectNode c = (ObjectNode) json.readTree(dir.resolve("config.json").toFile());
        c.put("tie_word_embeddings", tied);
        c.put("torch_dtype", torchDtype);
        json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), c);
        writeTokenizer(dir, spec.vocab());
    }

    private static void writeConfig(Path dir, Spec s) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode c = json.createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("model_type", "llama");
        c.put("vocab_size", s.vocab());
        c.put("hidden_size", s.hidden());
        c.put("intermediate_size", s.intermediate());
        c.put("num_hidden_layers", s.layers());
        c.put("num_attention_heads", s.heads());
        c.put("num_key_value_heads", s.kvHeads());
        c.put("rms_norm_eps", 1e-5);
        c.put("rope_theta", 10000.0);
        c.put("hidden_act", "silu");
        c.put("max_position_embeddings", 4096);
        c.put("tie_word_embeddings", true);
        c.put("torch_dtype", "float32");
        json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), c);
    }

    /** Word-level vocabulary w0..w{n-1} with BOS/EOS/unk first, split on whitespace. */
    private static void writeTokenizer(Path dir, int vocab) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode t = json.createObjectNode();
        t.put("version", "1.0");
        t.putNull("truncation");
        t.putNull("padding");
        ArrayNode added = t.putArray("added_tokens");
        String[] special = {"<unk>", "<s>", "</s>"};
        for (int i = 0; i < special.length; i++) {
            ObjectNode a = added.addObject();
            a.put("id", i).put("content", special[i]).put("single_word", false).put("lstrip", false)
                    .put("rstrip", false).put("normalized", false).put("special", true);
        }
        t.putNull("normalizer");
        t.putObject("pre_tokenizer").put("type", "Whitespace");
        t.putNull("post_processor");
        t.putNull("decoder");
        ObjectNode model = t.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode v = model.putObject("vocab");
        for (int i = 0; i < vocab; i++) v.put(i < special.length ? special[i] : "w" + i, i);
        model.put("unk_token", "<unk>");
        json.writeValue(dir.resolve("tokenizer.json").toFile(), t);
    }

    private static void writeWeights(Path dir, Spec s) {
        SplittableRandom random = new SplittableRandom(s.seed());
        int headDim = s.hidden() / s.heads();
        int kv = s.kvHeads() * headDim;
        SafetensorsWriter w = new SafetensorsWriter();
        w.add("model.embed_tokens.weight", DType.F32, new long[] {s.vocab(), s.hidden()}, gaussian(random, (long) s.vocab() * s.hidden(), 0.02));
        for (int l = 0; l < s.layers(); l++) {
            String p = "model.layers." + l + ".";
            double std = 1.0 / Math.sqrt(s.hidden());
            linear(w, random, p + "self_attn.q_proj.weight", s.hidden(), s.hidden(), std);
            linear(w, random, p + "self_attn.k_proj.weight", kv, s.hidden(), std);
            linear(w, random, p + "self_attn.v_proj.weight", kv, s.hidden(), std);
            linear(w, random, p + "self_attn.o_proj.weight", s.hidden(), s.hidden(), std);
            linear(w, random, p + "mlp.gate_proj.weight", s.intermediate(), s.hidden(), std);
            linear(w, random, p + "mlp.up_proj.weight", s.intermediate(), s.hidden(), std);
            linear(w, random, p + "mlp.down_proj.weight", s.hidden(), s.intermediate(), 1.0 / Math.sqrt(s.intermediate()));
            w.add(p + "input_layernorm.weight", DType.F32, new long[] {s.hidden()}, ones(s.hidden()));
            w.add(p + "post_attention_layernorm.weight", DType.F32, new long[] {s.hidden()}, ones(s.hidden()));
        }
        w.add("model.norm.weight", DType.F32, new long[] {s.hidden()}, ones(s.hidden()));
        w.write(dir.resolve("model.safetensors"));
    }

    private static void linear(SafetensorsWriter w, SplittableRandom random, String name, int out, int in, double std) {
        w.add(name, DType.F32, new long[] {out, in}, gaussian(random, (long) out * in, std));
    }

    private static float[] gaussian(SplittableRandom random, long n, double std) {
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            // Box-Muller from the seeded stream: the same folder for the same seed.
            double u1 = 1.0 - random.nextDouble();
            double u2 = random.nextDouble();
            v[i] = (float) (std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
        return v;
    }

    private static float[] ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return v;
    }
}
