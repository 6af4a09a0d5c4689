package taskvec.model;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.*;

class EngineSmokeTest {
    @Test
    void pytorchEngineLoadsOffline() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            var a = m.create(new float[] {1, 2, 3});
            assertEquals(6f, a.sum().getFloat(), 1e-6);
            System.out.println("engine " + m.getEngine().getEngineName() + " " + m.getEngine().getVersion());
        }
    }
}
