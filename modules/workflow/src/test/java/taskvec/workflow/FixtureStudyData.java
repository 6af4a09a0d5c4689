package taskvec.workflow;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Writes data/fixture-study: the dataset of the embedded default study, a mechanics check for the
 * llava-clip-llama fixture model (random weights, a 96-word vocabulary: its tokenizer knows only
 * Q, :, A, w6..w94 and the image placeholder). Two tasks over one domain of 14 entities w10..w23
 * (8 val, 6 test): "pair-first" maps w_k to w_(k+30), "pair-second" maps w_k to w_(k+50); each
 * entity has a 32x32 noise PNG. Deterministic: run main to regenerate, the test checks the
 * committed files equal what this writes.
 *
 * <pre>mvn -q -pl modules/workflow exec:java ... or run main(root) from an IDE</pre>
 */
public final class FixtureStudyData {
    static final String[] TASKS = {"pair-first", "pair-second"};
    static final int[] OFFSETS = {30, 50};
    static final int FIRST = 10;
    static final int VAL = 8;
    static final int TEST = 6;

    private FixtureStudyData() {}

    public static void main(String[] args) throws IOException {
        write(Path.of(args.length > 0 ? args[0] : "data/fixture-study"));
    }

    static void write(Path root) throws IOException {
        Files.createDirectories(root.resolve("annotations"));
        Files.createDirectories(root.resolve("images"));
        for (int t = 0; t < TASKS.length; t++) {
            Files.writeString(root.resolve("annotations/" + TASKS[t] + "_val.json"), annotations(t, FIRST, FIRST + VAL));
            Files.writeString(root.resolve("annotations/" + TASKS[t] + "_test.json"), annotations(t, FIRST + VAL, FIRST + VAL + TEST));
        }
        for (int k = FIRST; k < FIRST + VAL + TEST; k++) ImageIO.write(image(k), "png", root.resolve(imagePath(k)).toFile());
    }

    static String imagePath(int k) {
        return "images/w" + k + ".png";
    }

    static String annotations(int task, int from, int to) {
        StringBuilder json = new StringBuilder("[\n");
        for (int k = from; k < to; k++) {
            json.append("  {\"id\": \"w").append(k).append("\", \"input\": \"w").append(k).append("\", \"output\": \"w")
                    .append(k + OFFSETS[task]).append("\", \"image\": \"").append(imagePath(k)).append("\"}")
                    .append(k + 1 < to ? ",\n" : "\n");
        }
        return json.append("]\n").toString();
    }

    /** A 32x32 RGB noise image seeded by the entity number. */
    static BufferedImage image(int k) {
        SplittableRandom random = new SplittableRandom(1000L + k);
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) img.setRGB(x, y, random.nextInt(1 << 24));
        }
        return img;
    }
}
