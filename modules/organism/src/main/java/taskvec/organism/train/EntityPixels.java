package taskvec.organism.train;

import taskvec.model.image.PixelValues;
import taskvec.organism.facts.Entity;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The entities' pictures as the vision tower takes them: RGB scaled to [0, 1], then normalized with CLIP's mean
 * and standard deviation (what preprocessor_config.json tells a CLIP image processor to do at this size). For
 * training, each use gets a small random variation: a shift of up to a few pixels (edges repeated), a color jitter
 * and pixel noise.
 */
public final class EntityPixels {

    static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private final Path dataRoot;
    private final int size;
    private final Map<String, float[]> rgb = new HashMap<>(); // (3, H, W) in [0, 1]

    public EntityPixels(Path dataRoot, int size) {
        this.dataRoot = dataRoot;
        this.size = size;
    }

    /** The picture without variation, normalized, (3, H, W) flattened. */
    public float[] clean(Entity e) {
        float[] src = load(e);
        float[] out = new float[src.length];
        int plane = size * size;
        for (int i = 0; i < out.length; i++) {
            int c = i / plane;
            out[i] = (src[i] - MEAN[c]) / STD[c];
        }
        return out;
    }

    public PixelValues pixelValues(Entity e) {
        return new PixelValues(clean(e), 3, size, size);
    }

    /** The picture with a random shift, color jitter and noise, normalized, (3, H, W) flattened. */
    public float[] augmented(Entity e, OrganismSettings s, SplittableRandom r) {
        float[] src = load(e);
        int shift = (int) Math.round(s.augmentShiftPixels());
        int dx = shift == 0 ? 0 : r.nextInt(2 * shift + 1) - shift;
        int dy = shift == 0 ? 0 : r.nextInt(2 * shift + 1) - shift;
        double jitter = s.augmentColorJitter();
        float brightness = (float) ((r.nextDouble() * 2 - 1) * jitter);
        float[] gain = new float[3];
        for (int c = 0; c < 3; c++) {
            gain[c] = (float) (1 + (r.nextDouble() * 2 - 1) * jitter);
        }
        float[] out = new float[src.length];
        int plane = size * size;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < size; y++) {
                int sy = Math.min(size - 1, Math.max(0, y - dy));
                for (int x = 0; x < size; x++) {
                    int sx = Math.min(size - 1, Math.max(0, x - dx));
                    float v = src[c * plane + sy * size + sx] * gain[c] + brightness;
                    v += (float) (gaussian(r) * s.augmentNoise());
                    v = Math.min(1f, Math.max(0f, v));
                    out[c * plane + y * size + x] = (v - MEAN[c]) / STD[c];
                }
            }
        }
        return out;
    }

    private float[] load(Entity e) {
        return rgb.computeIfAbsent(e.id(), id -> read(dataRoot.resolve(e.imagePath())));
    }

    private float[] read(Path file) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException ex) {
            throw new UncheckedIOException(file + ": cannot be read: " + ex.getMessage(), ex);
        }
        if (img == null) {
            throw new IllegalArgumentException(file + ": not a decodable image");
        }
        if (img.getWidth() != size || img.getHeight() != size) {
            throw new IllegalArgumentException(file + ": is " + img.getWidth() + "x" + img.getHeight()
                    + ", the organism's pictures are " + size + "x" + size + " (run `taskvec organism images`)");
        }
        float[] out = new float[3 * size * size];
        int plane = size * size;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int p = img.getRGB(x, y);
                out[y * size + x] = ((p >> 16) & 0xff) / 255f;
                out[plane + y * size + x] = ((p >> 8) & 0xff) / 255f;
                out[2 * plane + y * size + x] = (p & 0xff) / 255f;
            }
        }
        return out;
    }

    private static double gaussian(SplittableRandom r) {
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
