package taskvec.model.arch.idefics2;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import taskvec.model.arch.Weights;
import taskvec.model.config.ConfigReader;
import taskvec.model.config.Idefics2Config;
import taskvec.model.hooks.HookPoints;
import taskvec.model.safetensors.CheckpointFiles;
import taskvec.model.safetensors.SafetensorsFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vision tower and the connector alone against the idefics2-mistral fixture: image_features (post_layernorm,
 * whole patches, images concatenated) and image_embeds (n_latents rows per image) of every case with images,
 * including three images of two sizes.
 */
class Idefics2VisionSideTest {

    private static final Path FIXTURE = Path.of("src/test/resources/fixtures/idefics2-mistral");

    @Test
    void featuresAndEmbedsOfEveryImageCaseMatchTheFixture() throws IOException {
        Path modelDir = FIXTURE.resolve("model");
        Idefics2Config config = ConfigReader.read(modelDir).idefics2().orElseThrow();
        JsonNode cases = new ObjectMapper().readTree(FIXTURE.resolve("cases.json").toFile());
        double abs = cases.path("tolerance").path("abs").asDouble();
        double rel = cases.path("tolerance").path("rel").asDouble();
        int checked = 0;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
             CheckpointFiles checkpoint = CheckpointFiles.open(modelDir);
             SafetensorsFile expected = SafetensorsFile.open(FIXTURE.resolve("expected.safetensors"))) {
            Weights weights = new Weights(checkpoint, modelDir, manager, DataType.FLOAT32, Device.cpu());
            Idefics2VisionTower tower = Idefics2VisionTower.load(weights, "model.vision_model.", config.vision());
            Idefics2Connector connector = Idefics2Connector.load(weights, "model.connector.", config);
            long weightArrays = arrayCount(manager);
            for (JsonNode c : cases.path("cases")) {
                if (!c.path("pixel_values").isArray()) {
                    continue;
                }
                List<float[]> features = new ArrayList<>();
                List<float[]> embeds = new ArrayList<>();
                int image = 0;
                for (JsonNode key : c.path("pixel_values")) {
                    long[] shape = expected.info(key.asText()).shape(); // (3, H, W)
                    double[] px = expected.readDoubles(key.asText());
                    float[] f = new float[px.length];
                    for (int i = 0; i < f.length; i++) {
                        f[i] = (float) px[i];
                    }
                    try (NDManager scope = manager.newSubManager()) {
                        NDArray pixels = scope.create(f, new Shape(1, shape[0], shape[1], shape[2]));
                        NDArray feats = tower.encode(pixels, HookPoints.NONE);              // (1, S, Dv)
                        JsonNode grid = c.path("patch_grids").get(image++);
                        assertEquals(grid.get(0).asLong() * grid.get(1).asLong(), feats.getShape().get(1));
                        features.add(feats.toFloatArray());
                        embeds.add(connector.forward(feats, HookPoints.NONE).toFloatArray());
                    }
                }
                String name = c.path("name").asText();
                assertClose(name + " image_features", concat(features),
                        expected.readDoubles(c.path("expect").path("image_features").asText()), abs, rel);
                assertClose(name + " image_embeds", concat(embeds),
                        expected.readDoubles(c.path("expect").path("image_embeds").asText()), abs, rel);
                checked++;
            }
            assertEquals(weightArrays, arrayCount(manager), "per-call arrays leaked into the weights' manager");
        }
        assertEquals(3, checked);
    }

    private static long arrayCount(NDManager manager) {
        return manager.getManagedArrays().size();
    }

    private static float[] concat(List<float[]> parts) {
        float[] all = new float[parts.stream().mapToInt(p -> p.length).sum()];
        int k = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, k, p.length);
            k += p.length;
        }
        return all;
    }

    private static void assertClose(String what, float[] actual, double[] expected, double abs, double rel) {
        assertEquals(expected.length, actual.length, what + ": size");
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / (abs + rel * Math.abs(expected[i])));
        }
        System.out.printf("%s: max error %.4f of the tolerance%n", what, worst);
        assertTrue(worst <= 1.0, what + ": max error " + worst + " of the tolerance");
    }
}
