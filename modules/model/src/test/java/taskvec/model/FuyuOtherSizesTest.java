package taskvec.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.model.hooks.Capture;
import taskvec.model.hooks.HookName;
import taskvec.model.runtime.LoadedModel;
import taskvec.model.safetensors.DType;
import taskvec.model.safetensors.SafetensorsFile;
import taskvec.model.safetensors.SafetensorsWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A Fuyu of other sizes than the fixture's (patch 5, 3 heads of 16, a quarter of each head rotated, no qk-layernorm,
 * BF16 weights) loads with every tensor used and runs prompts of several images in Mantis' layout: nothing in the
 * runtime is tied to the fixture's configuration. The shapes below are Hugging Face's Fuyu weight shapes written out
 * independently of the loader; the patch embedding's rows are checked against patches and weights read back here.
 */
class FuyuOtherSizesTest {

    private static final Path FIXTURE_MODEL = Path.of("src/test/resources/fixtures/fuyu-persimmon/model");
    private static final Path IMAGES = Path.of("src/test/resources/fixtures/preprocess2");
    private static final int D = 48, HEADS = 3, FF = 50, LAYERS = 2, VOCAB = 96, PATCH = 5;

    @Test
    void loadsEveryTensorAndRunsSeveralImagesPerPrompt(@TempDir Path dir) throws IOException {
        long parameters = writeFolder(dir);
        try (LoadedModel model = LoadedModel.load(dir, RuntimeSettings.defaults())) {
            assertEquals(LAYERS, model.numLayers());
            assertEquals(D, model.hiddenSize());
            assertEquals(parameters, model.info().parameterCount(), "every tensor of the checkpoint is used");
            assertEquals(4, model.config().fuyu().orElseThrow().text().rotaryDim(), "int(16 * 0.25)");

            // 70x45 -> 9 rows of 14 patches of 5; 300x200 fits the 400x600 target: 40 rows of 60
            List<Path> images = List.of(IMAGES.resolve("tiny_rgb_70x45.png"), IMAGES.resolve("landscape_rgb_300x200.png"));
            EncodedPrompt p = model.encode("Q:<image>w12<image>A:", images, OptionalInt.empty());
            int patches = 9 * 14 + 40 * 60;
            int slots = 0;
            for (int id : p.ids()) {
                slots += id == 95 ? 1 : 0;
            }
            assertEquals(patches, slots);
            HookName patchSite = HookName.parse("vision.hook_patches");
            HookName out = HookName.parse("projector.hook_out");
            List<Capture> caps = List.of(new Capture(patchSite, 15), new Capture(out, 15), new Capture(out, patches - 1),
                    Capture.residPost(LAYERS - 1, p.length() - 1));
            RowResult r = model.run(List.of(new Row(p, List.of(), caps, 2, Set.of()))).get(0);
            float[] patch = r.captured().get(caps.get(0));
            assertEquals(PATCH * PATCH * 3, patch.length);
            // row 15 is the tiny image's patch (row 1, col 1): vision_embed_tokens = patch x W^T + b, from the file
            float[] embedded = r.captured().get(caps.get(1));
            try (SafetensorsFile file = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
                float[] w = file.readFloats("vision_embed_tokens.weight");
                float[] b = file.readFloats("vision_embed_tokens.bias");
                for (int o = 0; o < D; o++) {
                    double sum = b[o];
                    for (int i = 0; i < patch.length; i++) {
                        sum += (double) patch[i] * w[o * patch.length + i];
                    }
                    assertEquals(sum, embedded[o], 1e-4, "output " + o);
                }
            }
            assertEquals(D, r.captured().get(caps.get(2)).length);
            for (float v : r.lastLogits()) {
                assertTrue(Float.isFinite(v));
            }
            assertEquals(VOCAB, r.lastLogits().length);
            assertEquals(2, r.generated().length);
        }
        try (LoadedModel half = LoadedModel.load(dir, new RuntimeSettings("cpu", "float16"))) {
            EncodedPrompt p = half.encode("Q:<image>A:", List.of(IMAGES.resolve("tiny_rgb_70x45.png")), OptionalInt.empty());
            for (float v : half.run(List.of(Row.of(p, List.of(), List.of()))).get(0).lastLogits()) {
                assertTrue(Float.isFinite(v), "float16 logits");
            }
        }
    }

    /** Writes config, tokenizer (the fixture's, with Mantis' tokens), a processor and random BF16 weights. */
    private static long writeFolder(Path dir) throws IOException {
        Files.writeString(dir.resolve("config.json"), """
                {"model_type": "fuyu", "image_token_id": 95, "patch_size": %d, "num_channels": 3,
                 "text_config": {"model_type": "persimmon", "vocab_size": %d, "hidden_size": %d, "intermediate_size": %d,
                                 "num_hidden_layers": %d, "num_attention_heads": %d, "hidden_act": "relu2",
                                 "layer_norm_eps": 1e-06, "qk_layernorm": false, "partial_rotary_factor": 0.25,
                                 "rope_theta": 10000.0, "max_position_embeddings": 4096}}
                """.formatted(PATCH, VOCAB, D, FF, LAYERS, HEADS));
        Files.copy(FIXTURE_MODEL.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("preprocessor_config.json"), """
                {"image_processor_type": "FuyuImageProcessor", "size": {"height": 400, "width": 600},
                 "padding_value": 1.0, "image_mean": 0.5, "image_std": 0.5, "patch_size": {"height": %d, "width": %d}}
                """.formatted(PATCH, PATCH));
        Map<String, long[]> shapes = new LinkedHashMap<>();
        String t = "language_model.model.";
        shapes.put(t + "embed_tokens.weight", new long[] {VOCAB, D});
        for (int l = 0; l < LAYERS; l++) {
            String p = t + "layers." + l + ".";
            shapes.put(p + "self_attn.query_key_value.weight", new long[] {3 * D, D});
            shapes.put(p + "self_attn.query_key_value.bias", new long[] {3 * D});
            shapes.put(p + "self_attn.dense.weight", new long[] {D, D});
            shapes.put(p + "self_attn.dense.bias", new long[] {D});
            shapes.put(p + "mlp.dense_h_to_4h.weight", new long[] {FF, D});
            shapes.put(p + "mlp.dense_h_to_4h.bias", new long[] {FF});
            shapes.put(p + "mlp.dense_4h_to_h.weight", new long[] {D, FF});
            shapes.put(p + "mlp.dense_4h_to_h.bias", new long[] {D});
            for (String norm : new String[] {"input_layernorm", "post_attention_layernorm"}) {
                shapes.put(p + norm + ".weight", new long[] {D});
                shapes.put(p + norm + ".bias", new long[] {D});
            }
        }
        shapes.put(t + "final_layernorm.weight", new long[] {D});
        shapes.put(t + "final_layernorm.bias", new long[] {D});
        shapes.put("language_model.lm_head.weight", new long[] {VOCAB, D});
        shapes.put("vision_embed_tokens.weight", new long[] {D, PATCH * PATCH * 3});
        shapes.put("vision_embed_tokens.bias", new long[] {D});
        SafetensorsWriter w = new SafetensorsWriter();
        SplittableRandom random = new SplittableRandom(11);
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
