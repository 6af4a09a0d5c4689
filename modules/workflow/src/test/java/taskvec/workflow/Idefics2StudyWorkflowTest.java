package taskvec.workflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import taskvec.model.RuntimeSettings;
import taskvec.model.layout.ImageSize;
import taskvec.model.layout.TokenSequence;
import taskvec.model.runtime.LoadedModel;
import taskvec.store.DbSettings;
import taskvec.store.Store;
import taskvec.store.repo.Status;

/**
 * workflows/studies/fixture-idefics2.yaml end to end on the Idefics2 fixture model: image examples (3 demonstration
 * images and the query image per prompt) and text examples, captured and patched into image queries; every stored
 * prompt's read and write positions checked against the model's own layout of its text.
 */
class Idefics2StudyWorkflowTest {
    static final Path STUDY = TestStudies.ROOT.resolve("workflows/studies/fixture-idefics2.yaml");
    static final Path MODEL = TestStudies.ROOT.resolve("modules/model/src/test/resources/fixtures/idefics2-mistral/model");
    static Store store;

    @BeforeAll
    static void open() {
        store = Store.open(DbSettings.embedded(Path.of(System.getenv().getOrDefault("TASKVEC_HOME", "target/test-home"))));
    }

    @AfterAll
    static void close() {
        if (store != null) store.close();
    }

    @Test
    void imageAndTextExamplesPatchIntoImageQueriesWithPositionsOnTheExpandedPrompts() throws Exception {
        RunOutcome run;
        try (StudyWorkflow wf = new StudyWorkflow(store, WorkflowOptions.defaults().withFresh(true))) {
            long id = wf.create(STUDY, null, "idefics2-fixture", TestStudies.ROOT);
            run = wf.run(id);
        }
        System.out.println("idefics2 fixture run " + run.runId() + ": " + run.millis() + " ms, " + run.items());
        assertEquals(Status.DONE, run.status(), String.valueOf(run.failed()));

        int checked = 0;
        int imagePrompts = 0;
        try (LoadedModel model = LoadedModel.load(MODEL, RuntimeSettings.defaults());
             Connection c = store.connect();
             PreparedStatement st = c.prepareStatement("SELECT spec, modality, text, token_count, read_position, read_token,"
                     + " write_position, write_token FROM prompts WHERE run_id = ? ORDER BY id")) {
            st.setLong(1, run.runId());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String text = rs.getString("text");
                    int images = count(text, "<image>");
                    TokenSequence laid = model.layout().layOut(text, Collections.nCopies(images, new ImageSize(32, 32)));
                    String what = rs.getString("spec") + "/" + rs.getString("modality") + ": " + text;
                    assertEquals(laid.length(), rs.getInt("token_count"), what);
                    // every image is <fake>, 8 <image>, <fake>: no two images are adjacent in these prompts
                    assertEquals(images * 8L, count(laid.ids(), 95), what);
                    assertEquals(images * 2L, count(laid.ids(), 94), what);
                    int write = rs.getInt("write_position");
                    if (!rs.wasNull()) {
                        assertEquals(laid.length() - 1, write, what);
                        assertEquals(":", rs.getString("write_token"), what);
                    }
                    int read = rs.getInt("read_position");
                    if (!rs.wasNull()) {
                        assertEquals(":", rs.getString("read_token"), what);
                        assertEquals(":", laid.tokens()[read], what);
                        if (rs.getString("spec").endsWith("examples")) {
                            // the released code's rule, counted on the expanded tokens: the third ':' from the end
                            assertEquals(colonsFromTheEnd(laid.tokens(), 3), read, what);
                        }
                    }
                    if (rs.getString("spec").equals("image-examples")) {
                        assertEquals(4, images, what);
                        imagePrompts++;
                    }
                    checked++;
                }
            }
        }
        assertTrue(imagePrompts >= 8, "image-example prompts: " + imagePrompts);
        assertTrue(checked > imagePrompts, "prompts checked: " + checked);

        // text examples and image examples, each patched into image queries (and prompted in context), at every layer
        try (Connection c = store.connect();
             PreparedStatement st = c.prepareStatement("SELECT spec, condition, count(*), count(DISTINCT layer)"
                     + " FROM predictions WHERE run_id = ? AND modality = 'image' AND split = 'val'"
                     + " GROUP BY spec, condition ORDER BY spec, condition")) {
            st.setLong(1, run.runId());
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getInt(3) + " " + rs.getInt(4));
                }
            }
            System.out.println(rows);
            assertTrue(rows.contains("text-examples patch 24 3"), rows.toString());  // 8 val queries x 3 layers
            assertTrue(rows.contains("image-examples patch 24 3"), rows.toString());
            assertTrue(rows.contains("text-examples prompt 8 0"), rows.toString());
            assertTrue(rows.contains("image-examples prompt 8 0"), rows.toString());
        }
    }

    private static int count(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    private static long count(int[] ids, int id) {
        return java.util.Arrays.stream(ids).filter(v -> v == id).count();
    }

    private static int colonsFromTheEnd(String[] tokens, int k) {
        for (int i = tokens.length - 1; i >= 0; i--) {
            if (tokens[i].equals(":") && --k == 0) return i;
        }
        return -1;
    }
}
