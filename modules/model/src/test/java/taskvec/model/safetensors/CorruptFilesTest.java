package taskvec.model.safetensors;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random damage to a valid file (flipped header bytes, truncation) must end in a
 * {@link SafetensorsLoadException} with the file's name, or in a file whose every tensor reads:
 * never in another exception type.
 */
class CorruptFilesTest {

    @TempDir
    Path dir;

    @Test
    void damagedFilesFailCleanly() throws Exception {
        Path original = dir.resolve("original.safetensors");
        new SafetensorsWriter()
                .metadata("format", "pt")
                .add("model.layers.0.w", DType.F32, new long[] {4, 3}, new float[12])
                .add("model.layers.0.b", DType.BF16, new long[] {3}, new float[] {1, 2, 3})
                .add("ids", DType.I64, new long[] {2}, new long[] {5, 6})
                .add("mask", DType.BOOL, new long[] {2}, new int[] {1, 0})
                .write(original);
        byte[] good = Files.readAllBytes(original);
        int headerEnd = 8 + (int) (good[0] & 0xFF | (good[1] & 0xFF) << 8);
        Random random = new Random(20241129);
        Path damaged = dir.resolve("damaged.safetensors");
        int failures = 0;
        for (int round = 0; round < 600; round++) {
            byte[] bytes;
            if (round % 3 == 0) {
                bytes = Arrays.copyOf(good, random.nextInt(good.length));
            } else {
                bytes = good.clone();
                for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                    int at = random.nextInt(headerEnd);
                    bytes[at] = (byte) (round % 2 == 0 ? random.nextInt(256) : "0123456789[]{},:\"-. ".charAt(random.nextInt(20)));
                }
            }
            Files.write(damaged, bytes);
            try (SafetensorsFile file = SafetensorsFile.open(damaged)) {
                for (String name : file.names()) {
                    TensorInfo info = file.info(name);
                    if (info.dtype().isFloatingPoint()) {
                        file.readFloats(name);
                    } else {
                        file.readLongs(name);
                    }
                }
            } catch (SafetensorsLoadException e) {
                failures++;
                assertTrue(e.getMessage().startsWith(damaged + ": "), e.getMessage());
            } catch (RuntimeException e) {
                fail("round " + round + ": " + e, e);
            }
        }
        assertTrue(failures > 300, "most damage is detected: " + failures);
    }
}
