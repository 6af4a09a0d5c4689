package taskvec.study.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.study.StudyInputException;

class DatasetImporterTest {
    @TempDir Path root;

    private Path write(String name, String json) throws IOException {
        Path p = root.resolve("annotations").resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, json);
        return p;
    }

    @Test
    void readsThePapersLayoutAsPublished() throws IOException {
        // the authors' files: a plain list in one, {"data": [...]} in another, no ids, image paths under the root
        write("country-capital_val.json", """
                [{"input": "Greece", "output": "Athens", "image": "images/country/Greece.png"},
                 {"input": "Italy", "output": "Rome", "image": "images/country/Italy.png", "extra": 1}]""");
        write("country-capital_test.json", """
                {"data": [{"input": "France", "output": "Paris", "image": "images/country/France.png"}]}""");
        Dataset ds = DatasetImporter.load(root);
        assertEquals(List.of("country-capital"), List.copyOf(ds.taskNames()));
        List<TaskItem> val = ds.items("country-capital", Split.VAL);
        assertEquals(new TaskItem("val-0", "Greece", "Athens", "images/country/Greece.png"), val.get(0));
        assertEquals("val-1", val.get(1).id());
        TaskItem test = ds.items("country-capital", Split.TEST).get(0);
        assertEquals("test-0", test.id());
        assertEquals(root.toAbsolutePath().resolve("images/country/France.png"), ds.imagePath(test));
    }

    @Test
    void usesTheIdFieldWhenPresentAndAllowsItemsWithoutImages() throws IOException {
        write("a_val.json", "[{\"id\": \"x1\", \"input\": \"w10\", \"output\": \"w40\"}, {\"id\": 7, \"input\": \"w11\", \"output\": \"w41\"}]");
        write("a_test.json", "[{\"id\": \"x2\", \"input\": \"w12\", \"output\": \"w42\", \"image\": null}]");
        write("b_val.json", "[{\"input\": \"w13\", \"output\": \"w43\"}]");
        write("b_test.json", "[{\"input\": \"w14\", \"output\": \"w44\"}]");
        write("c_val.json", "[{\"input\": \"w15\", \"output\": \"w45\"}]"); // no test split: not a task
        Dataset ds = DatasetImporter.load(root);
        assertEquals(List.of("a", "b"), DatasetImporter.discoverTasks(root));
        assertEquals(List.of("x1", "7"), ds.items("a", Split.VAL).stream().map(TaskItem::id).toList());
        assertNull(ds.items("a", Split.TEST).get(0).image());
        StudyInputException e = assertThrows(StudyInputException.class, () -> ds.imagePath(ds.items("a", Split.TEST).get(0)));
        assertTrue(e.getMessage().contains("has no image"), e.getMessage());
    }

    private String error(String json) throws IOException {
        Path f = write("t_val.json", json);
        write("t_test.json", "[{\"input\": \"a\", \"output\": \"b\"}]");
        StudyInputException e = assertThrows(StudyInputException.class, () -> DatasetImporter.load(root, List.of("t")));
        assertTrue(e.getMessage().startsWith(f.toAbsolutePath().toString() + ": "), e.getMessage());
        return e.getMessage().substring(f.toAbsolutePath().toString().length() + 2);
    }

    @Test
    void badFilesAreClearErrorsNamingTheFileAndTheProblem() throws IOException {
        assertTrue(error("[{\"input\": \"a\", \"output\": ").startsWith("not valid JSON"));
        assertEquals("[1]: missing field 'output'", error("[{\"input\": \"a\", \"output\": \"b\"}, {\"input\": \"c\"}]"));
        assertEquals("data[0]: missing field 'input'", error("{\"data\": [{\"output\": \"b\"}]}"));
        assertEquals("[0]: input: must be a string", error("[{\"input\": 3, \"output\": \"b\"}]"));
        assertEquals("[0]: output: must not be empty", error("[{\"input\": \"a\", \"output\": \" \"}]"));
        assertEquals("[0]: image: must be a non-empty string (a path relative to the dataset root)",
                error("[{\"input\": \"a\", \"output\": \"b\", \"image\": 5}]"));
        assertEquals("[1]: duplicate id 'k'", error("[{\"id\": \"k\", \"input\": \"a\", \"output\": \"b\"}, {\"id\": \"k\", \"input\": \"c\", \"output\": \"d\"}]"));
        assertEquals("expected a list of items or an object with a \"data\" list", error("{\"items\": []}"));
        assertEquals("expected a list of items or an object with a \"data\" list", error("\"text\""));
        assertEquals("the list has no items", error("[]"));
        assertEquals("[0]: expected an object with input and output", error("[\"Greece\"]"));
    }

    @Test
    void imagePathsMustStayInsideTheDatasetRoot(@TempDir Path elsewhere) throws IOException {
        Files.createDirectories(root.resolve("images"));
        Path outsidePng = Files.write(elsewhere.resolve("cat.png"), new byte[] {1});
        Files.createSymbolicLink(root.resolve("images/passwd.png"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(root.resolve("images/outside.png"), outsidePng);
        Files.createSymbolicLink(root.resolve("images/away"), elsewhere); // a linked folder leaves too
        String item = "[{\"input\": \"a\", \"output\": \"b\", \"image\": \"%s\"}]";
        String[][] cases = {
                {"../../../../etc/passwd", "'../../../../etc/passwd' leads outside the dataset root"},
                {"images/../../x.png", "'images/../../x.png' leads outside the dataset root"},
                {"/etc/hostname", "'/etc/hostname' is absolute; image paths are relative to the dataset root"},
                {outsidePng.toString(), "'" + outsidePng + "' is absolute; image paths are relative to the dataset root"},
                {"images/passwd.png", "'images/passwd.png' is a link to /etc/passwd, outside the dataset root"},
                {"images/outside.png", "'images/outside.png' is a link to " + outsidePng.toRealPath() + ", outside the dataset root"},
                {"images/away/cat.png", "'images/away/cat.png' is a link to " + outsidePng.toRealPath() + ", outside the dataset root"},
        };
        for (String[] c : cases) {
            assertEquals("[0]: image: " + c[1], error(String.format(item, c[0])), c[0]);
        }
        // inside the root: a link to another file of the dataset and a path through '..' that comes back are fine
        Files.write(root.resolve("images/real.png"), new byte[] {1});
        Files.createSymbolicLink(root.resolve("images/alias.png"), root.resolve("images/real.png"));
        write("t_val.json", String.format(item, "images/alias.png"));
        write("t_test.json", String.format(item, "images/../images/real.png"));
        Dataset ds = DatasetImporter.load(root, List.of("t"));
        assertEquals(root.toAbsolutePath().resolve("images/real.png"), ds.imagePath(ds.items("t", Split.TEST).get(0)));
        // the same rule holds where the runtime opens an image, for a path that did not come through the importer
        StudyInputException e = assertThrows(StudyInputException.class, () -> ds.resolveImage("images/passwd.png"));
        assertTrue(e.getMessage().endsWith("'images/passwd.png' is a link to /etc/passwd, outside the dataset root"), e.getMessage());
    }

    @Test
    void taskNamesNeverBecomePaths() throws IOException {
        write("t_val.json", "[{\"input\": \"a\", \"output\": \"b\"}]");
        write("t_test.json", "[{\"input\": \"a\", \"output\": \"b\"}]");
        StudyInputException e = assertThrows(StudyInputException.class, () -> DatasetImporter.load(root, List.of("../annotations/t")));
        assertTrue(e.getMessage().endsWith("task name '../annotations/t' must be 1-64 letters, digits, '-' or '_', starting with a "
                + "letter or digit (it names the annotation files)"), e.getMessage());
        write("x y_val.json", "[{\"input\": \"a\", \"output\": \"b\"}]");
        write("x y_test.json", "[{\"input\": \"a\", \"output\": \"b\"}]");
        assertEquals(List.of("t"), DatasetImporter.discoverTasks(root));
    }

    @Test
    void missingFilesAndFoldersAreNamed() throws IOException {
        write("t_val.json", "[{\"input\": \"a\", \"output\": \"b\"}]");
        StudyInputException e = assertThrows(StudyInputException.class, () -> DatasetImporter.load(root, List.of("t")));
        assertEquals(root.toAbsolutePath().resolve("annotations/t_test.json") + ": file not found", e.getMessage());
        Path empty = root.resolve("nothing");
        e = assertThrows(StudyInputException.class, () -> DatasetImporter.load(empty));
        assertTrue(e.getMessage().startsWith(empty.resolve("annotations") + ": dataset folder not found"), e.getMessage());
    }
}
