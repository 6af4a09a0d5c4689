package taskvec.organism.facts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.organism.ProjectData;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskFactsTest {

    @TempDir Path dir;

    @Test
    void readsTheThreeDomainsWithBothTasksAnswers() {
        TaskFacts facts = TaskFacts.read(ProjectData.tasks());
        Entity greece = facts.entities("country").get(0);
        assertEquals("Greece", greece.input());
        assertEquals("Athens", greece.answers().get("country-capital"));
        assertEquals("Euro", greece.answers().get("country-currency"));
        assertEquals("images/country/greece.png", greece.imagePath());
        for (String domain : TaskFacts.DOMAINS) {
            assertEquals(30, facts.entities(domain).stream().filter(e -> e.split().equals("val")).count(), domain);
        }
    }

    @Test
    void aBrokenLineIsReportedWithFileAndLine() throws Exception {
        Files.createDirectories(dir.resolve("facts"));
        Files.writeString(dir.resolve("facts/country.tsv"), "id\tinput\tcapital\tcurrency\tsplit\ngreece\tGreece\tAthens\tEuro\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TaskFacts.read(dir));
        assertTrue(e.getMessage().contains("country.tsv") && e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void aBadSplitIsReported() throws Exception {
        Files.createDirectories(dir.resolve("facts"));
        Files.writeString(dir.resolve("facts/country.tsv"), "id\tinput\tcapital\tcurrency\tsplit\ngreece\tGreece\tAthens\tEuro\ttrain\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TaskFacts.read(dir));
        assertTrue(e.getMessage().contains("split must be val or test"), e.getMessage());
    }
}
