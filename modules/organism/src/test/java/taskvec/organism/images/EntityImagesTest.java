package taskvec.organism.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import taskvec.organism.ProjectData;
import taskvec.organism.facts.Entity;
import taskvec.organism.facts.TaskFacts;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EntityImagesTest {

    @Test
    void everyAnnotationImageExistsAndDecodesAtTheOrganismSize() throws Exception {
        Path root = ProjectData.tasks();
        int checked = 0;
        try (Stream<Path> files = Files.list(root.resolve("annotations"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                for (JsonNode item : new ObjectMapper().readTree(file.toFile())) {
                    Path image = root.resolve(item.get("image").asText());
                    assertTrue(Files.isRegularFile(image), file + ": " + image + " is missing");
                    BufferedImage img = ImageIO.read(image.toFile());
                    assertNotNull(img, image + " does not decode");
                    assertEquals(EntityImages.SIZE, img.getWidth(), image.toString());
                    assertEquals(EntityImages.SIZE, img.getHeight(), image.toString());
                    checked++;
                }
            }
        }
        assertTrue(checked >= 6 * 130, "only " + checked + " annotation items");
    }

    @Test
    void committedImagesAreWhatTheGeneratorDrawsAndAllDiffer() throws Exception {
        TaskFacts facts = TaskFacts.read(ProjectData.tasks());
        EntityImages images = EntityImages.withBuiltInFlags();
        Set<String> distinct = new HashSet<>();
        for (java.util.Map.Entry<Entity, BufferedImage> entry : images.drawAll(facts).entrySet()) {
            Entity e = entry.getKey();
            BufferedImage drawn = entry.getValue();
            BufferedImage stored = ImageIO.read(new File(facts.dataRoot().resolve(e.imagePath()).toString()));
            int[] a = drawn.getRGB(0, 0, drawn.getWidth(), drawn.getHeight(), null, 0, drawn.getWidth());
            int[] b = stored.getRGB(0, 0, stored.getWidth(), stored.getHeight(), null, 0, stored.getWidth());
            assertArrayEquals(a, b, e.imagePath() + " differs from the generator's picture (rerun `taskvec organism images`)");
            distinct.add(java.util.Arrays.toString(a));
        }
        assertEquals(facts.all().size(), distinct.size(), "two entities share a picture");
    }

    @Test
    void unknownFlagCommandNamesTheCommand() {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> FlagPainter.paint(img, "h red white; wave blue"));
        assertTrue(e.getMessage().contains("wave blue"), e.getMessage());
    }
}
