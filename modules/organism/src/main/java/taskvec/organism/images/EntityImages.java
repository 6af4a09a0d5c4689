package taskvec.organism.images;

import taskvec.organism.facts.Entity;
import taskvec.organism.facts.TaskFacts;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/**
 * The pictures of the task entities, one PNG per entity at {dataRoot}/images/{domain}/{id}.png: country flags
 * from their descriptions (flags.txt), foods in their usual color, animals as procedural pictures. Deterministic:
 * every choice comes from a random stream seeded by the entity's id.
 */
public final class EntityImages {

    /** Width and height of every picture, in pixels: the organism's vision tower sees exactly this size. */
    public static final int SIZE = 32;

    private final Map<String, String> flags;

    private EntityImages(Map<String, String> flags) {
        this.flags = flags;
    }

    public static EntityImages withBuiltInFlags() {
        Map<String, String> flags = new HashMap<>();
        try (InputStream in = EntityImages.class.getResourceAsStream("flags.txt")) {
            if (in == null) {
                throw new IllegalStateException("flags.txt is missing from the classpath next to EntityImages");
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", 2);
                if (f.length != 2) {
                    throw new IllegalStateException("flags.txt: line without a tab: " + line);
                }
                flags.put(f[0], f[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new EntityImages(flags);
    }

    /**
     * Every entity's picture, in the facts' order. A procedural picture that happens to equal an earlier one is
     * drawn again from the next seed, so no two entities share a picture.
     */
    public Map<Entity, BufferedImage> drawAll(TaskFacts facts) {
        Map<Entity, BufferedImage> out = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (Entity e : facts.all()) {
            BufferedImage image = null;
            for (int attempt = 0; image == null || !seen.add(pixelsOf(image)); attempt++) {
                if (attempt > 20) {
                    throw new IllegalStateException(e.imagePath() + ": no distinct picture in 20 attempts");
                }
                image = draw(e, attempt);
            }
            out.put(e, image);
        }
        return out;
    }

    /** The picture of one entity (attempt 0 is the first seed). */
    public BufferedImage draw(Entity e, int attempt) {
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        SplittableRandom r = new SplittableRandom(seedOf(e.id()) + attempt);
        switch (e.domain()) {
            case "country" -> {
                String description = flags.get(e.id());
                if (description == null) {
                    throw new IllegalArgumentException("country '" + e.id() + "' has no flag description in flags.txt");
                }
                FlagPainter.paint(image, description);
            }
            case "animal" -> AnimalPainter.paint(image, r);
            case "food" -> FoodPainter.paint(image, e.answers().get("food-color"), r);
            default -> throw new IllegalArgumentException("unknown domain '" + e.domain() + "'");
        }
        return image;
    }

    /** Writes every entity's picture under the data root; returns how many were written. */
    public int writeAll(TaskFacts facts) {
        int n = 0;
        for (Map.Entry<Entity, BufferedImage> entry : drawAll(facts).entrySet()) {
            Path file = facts.dataRoot().resolve(entry.getKey().imagePath());
            try {
                Files.createDirectories(file.getParent());
                ImageIO.write(entry.getValue(), "png", file.toFile());
            } catch (IOException ex) {
                throw new UncheckedIOException(file + ": cannot be written: " + ex.getMessage(), ex);
            }
            n++;
        }
        return n;
    }

    private static String pixelsOf(BufferedImage image) {
        return Arrays.toString(image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth()));
    }

    static long seedOf(String id) {
        CRC32 crc = new CRC32();
        crc.update(id.getBytes(StandardCharsets.UTF_8));
        return crc.getValue() * 0x9E3779B97F4A7C15L;
    }
}
