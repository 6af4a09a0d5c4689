package taskvec.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import taskvec.model.runtime.LoadedModel;

import static org.junit.jupiter.api.Assertions.*;

/** Mistral's sliding window, on the Llama fixture's weights relabelled as Mistral. */
class SlidingWindowTest {

    private static final Path SHARDED = Path.of("src/test/resources/fixtures/llama-sharded/model");
    private static final int[] IDS = {1, 3, 4, 20, 59, 19, 53, 19, 52, 73, 30, 81, 5, 4};

    private static Path mistral(Path dir, String window) throws IOException {
        try (Stream<Path> files = Files.list(SHARDED)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        Path config = dir.resolve("config.json");
        Files.writeString(config, Files.readString(config)
                .replace("\"model_type\": \"llama\"", "\"model_type\": \"mistral\", \"sliding_window\": " + window));
        return dir;
    }

    private static RowResult run(LoadedModel m, int[] ids, int maxNew) {
        return m.run(List.of(new Row(new EncodedPrompt(ids, null, List.of()), List.of(), List.of(), maxNew, Set.of())))
                .get(0);
    }

    @Test
    void aWindowWiderThanThePromptChangesNothing(@TempDir Path dir) throws IOException {
        try (LoadedModel llama = LoadedModel.load(SHARDED, RuntimeSettings.defaults());
             LoadedModel wide = LoadedModel.load(mistral(dir, "64"), RuntimeSettings.defaults())) {
            assertArrayEquals(run(llama, IDS, 0).lastLogits(), run(wide, IDS, 0).lastLogits(), 1e-6f);
        }
    }

    @Test
    void tokensBeyondTheReceptiveFieldAreInvisible(@TempDir Path dir) throws IOException {
        int[] changedStart = IDS.clone();
        changedStart[1] = 77; // 12 positions before the last: beyond 4 layers x (window 2 - 1)
        int[] changedLate = IDS.clone();
        changedLate[11] = 77; // 2 positions before the last: inside it
        try (LoadedModel m = LoadedModel.load(mistral(dir, "2"), RuntimeSettings.defaults())) {
            float[] base = run(m, IDS, 0).lastLogits();
            assertArrayEquals(base, run(m, changedStart, 0).lastLogits(), 1e-6f);
            assertFalse(Arrays.equals(base, run(m, changedLate, 0).lastLogits()));
        }
    }

    @Test
    void cachedDecodingMatchesRecomputingEachStep(@TempDir Path dir) throws IOException {
        try (LoadedModel m = LoadedModel.load(mistral(dir, "3"), RuntimeSettings.defaults())) {
            int[] generated = run(m, IDS, 5).generated();
            int[] sequence = IDS.clone();
            for (int step = 0; step < 5; step++) {
                float[] logits = run(m, sequence, 0).lastLogits();
                int best = 0;
                for (int i = 1; i < logits.length; i++) {
                    if (logits[i] > logits[best]) {
                        best = i;
                    }
                }
                assertEquals(best, generated[step], "step " + step);
                sequence = Arrays.copyOf(sequence, sequence.length + 1);
                sequence[sequence.length - 1] = best;
            }
        }
    }
}
