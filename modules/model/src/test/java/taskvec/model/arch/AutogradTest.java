package taskvec.model.arch;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import taskvec.model.arch.llama.LlamaDecoderLoader;
import taskvec.model.arch.llama.LlamaWeightNames;
import taskvec.model.config.ConfigReader;
import taskvec.model.config.ModelConfig;
import taskvec.model.hooks.HookPoints;
import taskvec.model.safetensors.CheckpointFiles;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The forward pass is differentiable end to end: gradients reach the embedding table and a block's weights. */
class AutogradTest {

    @Test
    void gradientsFlowThroughTheDecoder() {
        Path dir = Path.of("src/test/resources/fixtures/llama-sharded/model");
        ModelConfig config = ConfigReader.read(dir);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
             CheckpointFiles checkpoint = CheckpointFiles.open(dir)) {
            Weights weights = new Weights(checkpoint, dir, manager, DataType.FLOAT32, Device.cpu());
            CausalDecoder decoder = LlamaDecoderLoader.load(weights, config.text(), LlamaWeightNames.causalLm());
            NDArray table = decoder.embedTable();
            table.setRequiresGradient(true);
            try (NDManager scope = manager.newSubManager();
                 GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray ids = scope.create(new long[] {1, 3, 4, 20, 59, 19}, new Shape(1, 6));
                KvCache cache = new KvCache(decoder.numLayers());
                NDArray logits = decoder.logits(decoder.layers(decoder.embed(ids), 0, cache, HookPoints.NONE), 0,
                        HookPoints.NONE);                                                      // (1, 6, V)
                NDArray loss = logits.get(":, -1, 7").sum();
                collector.backward(loss);
            }
            float[] grad = table.getGradient().toFloatArray();
            double norm = 0;
            for (float g : grad) {
                assertFalse(Float.isNaN(g));
                norm += g * g;
            }
            assertTrue(norm > 0, "no gradient reached the embedding table");
        }
    }
}
