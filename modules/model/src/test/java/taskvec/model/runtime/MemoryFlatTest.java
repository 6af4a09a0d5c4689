package taskvec.model.runtime;

import org.junit.jupiter.api.Test;
import taskvec.model.EncodedPrompt;
import taskvec.model.Row;
import taskvec.model.RuntimeSettings;
import taskvec.model.hooks.Capture;
import taskvec.model.hooks.Intervention;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * 1,000 patched forwards in a loop leave the live native arrays and the resident memory flat. Resident memory
 * is measured outside the Java heap (RSS minus the committed heap), since the heap grows and shrinks on its own.
 */
class MemoryFlatTest {

    @Test
    void patchedForwardsDoNotLeak() throws IOException {
        try (LoadedModel model = LoadedModel.load(Path.of("src/test/resources/fixtures/llava-clip-llama/model"),
                RuntimeSettings.defaults())) {
            EncodedPrompt prompt = model.encode("Q : w16 w26 w54 w42 w63 A :", List.of(), java.util.OptionalInt.empty());
            float[] vector = new float[model.hiddenSize()];
            vector[3] = 1f;
            int last = prompt.length() - 1;
            Row row = new Row(prompt, List.of(Intervention.replace(1, last, vector)),
                    List.of(Capture.residPost(2, last)), 0, Set.of());
            model.run(List.of(new Row(prompt, List.of(), List.of(), 3, Set.of()))); // decoding path too
            for (int i = 0; i < 100; i++) { // warm up allocator pools before the baseline
                model.run(List.of(row));
            }
            int arrays = model.liveArrayCount();
            long rss = nativeKb();
            for (int i = 0; i < 1000; i++) {
                model.run(List.of(row));
            }
            assertEquals(arrays, model.liveArrayCount(), "native arrays left behind by run()");
            long grown = nativeKb() - rss;
            System.out.println("resident memory grew by " + grown + " kB over 1000 patched forwards");
            // the exact check is the array count above; RSS is noisy (allocator pools, JIT code), so only a coarse
            // bound: a leaked activation per forward would add up far beyond it on a real model
            assertTrue(grown < 256 * 1024, "resident memory grew by " + grown + " kB");
        }
    }

    private static long nativeKb() throws IOException {
        System.gc();
        return residentKb() - Runtime.getRuntime().totalMemory() / 1024;
    }

    private static long residentKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("/proc/self/status has no VmRSS");
    }
}
