package taskvec.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every example query in sql/examples (the ones sql/README.md shows) runs against the current schema. */
class SqlExamplesTest {

    static final Path EXAMPLES = Path.of("../../sql/examples");
    static Store store;

    @BeforeAll
    static void open() {
        store = Store.open(DbSettings.embedded(DbSettings.home(System.getenv())));
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @TestFactory
    Stream<DynamicTest> everyExampleRuns() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            files = s.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
        }
        assertEquals(10, files.size(), "examples: " + files);
        String readme = Files.readString(EXAMPLES.resolveSibling("README.md"));
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            assertTrue(readme.contains("examples/" + f.getFileName()), f + " is not mentioned in sql/README.md");
            try (Connection c = store.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery(Files.readString(f))) {
                assertTrue(rs.getMetaData().getColumnCount() > 0);
            }
        }));
    }
}
