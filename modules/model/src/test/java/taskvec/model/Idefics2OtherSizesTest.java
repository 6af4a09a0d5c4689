package taskvec.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.model.hooks.Capture;
import taskvec.model.hooks.HookName;
import taskvec.model.image.PixelValues;
import taskvec.model.runtime.LoadedModel;
import taskvec.model.safetensors.DType;
import taskvec.model.safetensors.SafetensorsWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * An Idefics2 of other sizes than the fixture's (every size differs: decoder, vision tower, perceiver latents, depth,
 * heads, key/value heads, head dims; BF16 weights; image splitting on) loads with every tensor used and runs prompts
 * of several images: nothing in the runtime is tied to the fixture's configuration. The shapes below are Hugging
 * Face's Idefics2 weight shapes written out independently of the loader.
 */
class Idefics2OtherSizesTest {

    private static final Path FIXTURE_MODEL = Path.of("src/test/resources/fixtures/idefics2-mistral/model");
    private static final Path IMAGES = Path.of("src/test/resources/fixtures/preprocess2");
    // decoder 40 wide, 5 heads of 8 over 1 KV head, MLP 72, 2 layers; vision 24 wide, 3 heads, MLP 40, patch 5 of a
    // 45-pixel table (9 x 9), 1 layer; perceiver 5 latents, depth 3, 6 heads of 4 over 3 KV heads
    private static final int D = 40, HEADS = 5, KV = 1, HD = 8, FF = 72, LAYERS = 2, VOCAB = 96;
    private static final int DV = 24, VHEADS = 3, VFF = 40, PATCH = 5, SIDE = 9, VLAYERS = 1;
    private static final int LATENTS = 5, DEPTH = 3, PHEADS = 6, PKV = 3, PHD = 4;

    @Test
    void loadsEveryTensorAndRunsSeveralImagesPerPrompt(@TempDir Path dir) throws IOException {
        long parameters = writeFolder(dir);
        try (LoadedModel model = LoadedModel.load(dir, RuntimeSettings.defaults())) {
            assertEquals(LAYERS, model.numLayers());
            assertEquals(D, model.hiddenSize());
            assertEquals(LATENTS, model.info().imageFeatureCount());
            assertEquals(parameters, model.info().parameterCount(), "every tensor of the checkpoint is used");
            assertEquals(1e-5, model.config().idefics2().orElseThrow().perceiver().rmsNormEps(),
                    "a perceiver without hidden_size takes the text model's epsilon (4096 differs from 40)");

            List<Path> images = List.of(IMAGES.resolve("landscape_rgb_300x200.png"), IMAGES.resolve("tiny_rgb_70x45.png"));
            EncodedPrompt p = model.encode("<s>Q:<image>w12<image>A:", images, OptionalInt.empty());
            assertEquals(10, p.images().size(), "5 crops per image with splitting");
            int patches = 0;
            for (PixelValues crop : p.images()) {
                patches += (crop.height() / PATCH) * (crop.width() / PATCH);
            }
            HookName features = HookName.parse("vision.hook_features");
            HookName out = HookName.parse("projector.hook_out");
            List<Capture> caps = List.of(new Capture(features, patches - 1), new Capture(out, 10 * LATENTS - 1),
                    Capture.residPost(LAYERS - 1, p.length() - 1));
            RowResult r = model.run(List.of(new Row(p, List.of(), caps, 2, java.util.Set.of()))).get(0);
            assertEquals(DV, r.captured().get(caps.get(0)).length);
            assertEquals(D, r.captured().get(caps.get(1)).length);
            assertEquals(VOCAB, r.lastLogits().length);
            for (float v : r.lastLogits()) {
                assertTrue(Float.isFinite(v));
            }
            assertEquals(2, r.generated().length);

            // a crop's rows do not depend on the other crops of the prompt (each runs on its own patches)
            EncodedPrompt alone = model.encode("<s>Q:<image>A:", images.subList(1, 2), OptionalInt.empty());
            Capture mine = new Capture(out, 5 * LATENTS - 1);   // the last row of the tiny image's whole-image crop
            Capture same = new Capture(out, 10 * LATENTS - 1);  // the same crop, after the other image's five
            float[] inAlone = model.run(List.of(Row.of(alone, List.of(), List.of(mine)))).get(0).captured().get(mine);
            float[] inBoth = r.captured().get(same);
            assertArrayEquals(inAlone, inBoth, 1e-5f);
        }
        try (LoadedModel half = LoadedModel.load(dir, new RuntimeSettings("cpu", "float16"))) {
            EncodedPrompt p = half.encode("<s>Q:<image>A:", List.of(IMAGES.resolve("tiny_rgb_70x45.png")), OptionalInt.empty());
            for (float v : half.run(List.of(Row.of(p, List.of(), List.of()))).get(0).lastLogits()) {
                assertTrue(Float.isFinite(v), "float16 logits");
            }
        }
    }

    /** Writes config, tokenizer (the fixture's), a splitting processor and random BF16 weights; returns the parameter count. */
    private static long writeFolder(Path dir) throws IOException {
        Files.writeString(dir.resolve("config.json"), """
                {"model_type": "idefics2", "image_token_id": 95, "tie_word_embeddings": false,
                 "text_config": {"model_type": "mistral", "vocab_size": %d, "hidden_size": %d, "intermediate_size": %d,
                                 "num_hidden_layers": %d, "num_attention_heads": %d, "num_key_value_heads": %d,
                                 "head_dim": %d, "rms_norm_eps": 1e-05, "rope_theta": 5000.0, "sliding_window": null},
                 "vision_config": {"model_type": "idefics2_vision", "hidden_size": %d, "intermediate_size": %d,
                                   "num_hidden_layers": %d, "num_attention_heads": %d, "image_size": %d, "patch_size": %d},
                 "perceiver_config": {"model_type": "idefics2_perceiver", "resampler_n_latents": %d,
                                      "resampler_depth": %d, "resampler_n_heads": %d, "resampler_head_dim": %d,
                                      "num_key_value_heads": %d}}
                """.formatted(VOCAB, D, FF, LAYERS, HEADS, KV, HD, DV, VFF, VLAYERS, VHEADS, SIDE * PATCH, PATCH,
                LATENTS, DEPTH, PHEADS, PHD, PKV));
        Files.copy(FIXTURE_MODEL.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("preprocessor_config.json"), """
                {"image_processor_type": "Idefics2ImageProcessor", "size": {"shortest_edge": 12, "longest_edge": 45},
                 "do_image_splitting": true}
                """);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        String t = "model.text_model.";
        shapes.put(t + "embed_tokens.weight", new long[] {VOCAB, D});
        for (int l = 0; l < LAYERS; l++) {
            String p = t + "layers." + l + ".";
            shapes.put(p + "self_attn.q_proj.weight", new long[] {HEADS * HD, D});
            shapes.put(p + "self_attn.k_proj.weight", new long[] {KV * HD, D});
            shapes.put(p + "self_attn.v_proj.weight", new long[] {KV * HD, D});
            shapes.put(p + "self_attn.o_proj.weight", new long[] {D, HEADS * HD});
            shapes.put(p + "mlp.gate_proj.weight", new long[] {FF, D});
            shapes.put(p + "mlp.up_proj.weight", new long[] {FF, D});
            shapes.put(p + "mlp.down_proj.weight", new long[] {D, FF});
            shapes.put(p + "input_layernorm.weight", new long[] {D});
            shapes.put(p + "post_attention_layernorm.weight", new long[] {D});
        }
        shapes.put(t + "norm.weight", new long[] {D});
        shapes.put("lm_head.weight", new long[] {VOCAB, D});
        String v = "model.vision_model.";
        shapes.put(v + "embeddings.patch_embedding.weight", new long[] {DV, 3, PATCH, PATCH});
        shapes.put(v + "embeddings.patch_embedding.bias", new long[] {DV});
        shapes.put(v + "embeddings.position_embedding.weight", new long[] {SIDE * SIDE, DV});
        for (int l = 0; l < VLAYERS; l++) {
            String p = v + "encoder.layers." + l + ".";
            for (String proj : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) {
                shapes.put(p + "self_attn." + proj + ".weight", new long[] {DV, DV});
                shapes.put(p + "self_attn." + proj + ".bias", new long[] {DV});
            }
            shapes.put(p + "mlp.fc1.weight", new long[] {VFF, DV});
            shapes.put(p + "mlp.fc1.bias", new long[] {VFF});
            shapes.put(p + "mlp.fc2.weight", new long[] {DV, VFF});
            shapes.put(p + "mlp.fc2.bias", new long[] {DV});
            for (String norm : new String[] {"layer_norm1", "layer_norm2"}) {
                shapes.put(p + norm + ".weight", new long[] {DV});
                shapes.put(p + norm + ".bias", new long[] {DV});
            }
        }
        shapes.put(v + "post_layernorm.weight", new long[] {DV});
        shapes.put(v + "post_layernorm.bias", new long[] {DV});
        String c = "model.connector.";
        shapes.put(c + "modality_projection.gate_proj.weight", new long[] {FF, DV});
        shapes.put(c + "modality_projection.up_proj.weight", new long[] {FF, DV});
        shapes.put(c + "modality_projection.down_proj.weight", new long[] {D, FF});
        String r = c + "perceiver_resampler.";
        shapes.put(r + "latents", new long[] {LATENTS, D});
        for (int l = 0; l < DEPTH; l++) {
            String p = r + "layers." + l + ".";
            shapes.put(p + "input_latents_norm.weight", new long[] {D});
            shapes.put(p + "input_context_norm.weight", new long[] {D});
            shapes.put(p + "self_attn.q_proj.weight", new long[] {PHEADS * PHD, D});
            shapes.put(p + "self_attn.k_proj.weight", new long[] {PKV * PHD, D});
            shapes.put(p + "self_attn.v_proj.weight", new long[] {PKV * PHD, D});
            shapes.put(p + "self_attn.o_proj.weight", new long[] {D, PHEADS * PHD});
            shapes.put(p + "post_attention_layernorm.weight", new long[] {D});
            shapes.put(p + "mlp.gate_proj.weight", new long[] {4 * D, D});
            shapes.put(p + "mlp.up_proj.weight", new long[] {4 * D, D});
            shapes.put(p + "mlp.down_proj.weight", new long[] {D, 4 * D});
        }
        shapes.put(r + "norm.weight", new long[] {D});
        SafetensorsWriter w = new SafetensorsWriter();
        SplittableRandom random = new SplittableRandom(7);
        long total = 0;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            int n = 1;
            for (long s : e.getValue()) {
                n *= (int) s;
            }
            boolean norm = e.getKey().contains("norm") && e.getKey().endsWith(".weight");
            float[] values = new float[n];
            for (int i = 0; i < n; i++) {
                values[i] = norm ? 1f + 0.1f * (float) random.nextGaussian() : 0.2f * (float) random.nextGaussian();
            }
            w.add(e.getKey(), DType.BF16, e.getValue(), values);
            total += n;
        }
        w.write(dir.resolve("model.safetensors"));
        return total;
    }
}
