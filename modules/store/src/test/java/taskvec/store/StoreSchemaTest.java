package taskvec.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Migrates the embedded server of the shared test home and checks what the migrations made. */
class StoreSchemaTest {

    static Store store;

    @BeforeAll
    static void open() {
        store = Store.open(DbSettings.embedded(DbSettings.home(System.getenv())));
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void tablesAndViewsExist() throws SQLException {
        assertEquals(List.of("embedding_map", "metrics", "paper_numbers", "phase_lens", "phase_tokens", "predictions", "prompts", "runs",
                        "stages", "task_conflict", "vector_parents", "vector_similarity", "vectors", "work_items"),
                strings("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                        + " AND table_type = 'BASE TABLE' AND table_name <> 'flyway_schema_history' ORDER BY 1"));
        assertEquals(List.of("accuracy", "accuracy_by_seed", "best_layer", "majority_baseline", "paper_main_table", "report_conflict",
                        "report_failures", "report_layer_curve", "report_llm_vlm_cosine", "report_llm_vlm_patch", "report_main_table",
                        "report_map", "report_models", "report_paper_layout", "report_paper_reference", "report_patch_by_vector", "report_phase_peaks", "report_phase_tokens", "report_phases", "report_provenance",
                        "report_sample_efficiency", "report_settings", "report_similarity", "report_similarity_by_layer",
                        "report_stages", "run_digest"),
                strings("SELECT table_name FROM information_schema.views WHERE table_schema = 'public' ORDER BY 1"));
        assertEquals(List.of("dim", "elements", "sha256"),
                strings("SELECT column_name FROM information_schema.columns WHERE table_name = 'vectors'"
                        + " AND column_name IN ('elements', 'sha256', 'dim') ORDER BY 1"));
        assertEquals(List.of("real[]"), strings("SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                + " WHERE attrelid = 'vectors'::regclass AND attname = 'elements'"));
    }

    @Test
    void uniqueKeysAndForeignKeysAreThere() throws SQLException {
        List<String> uniques = strings("SELECT conrelid::regclass || ': ' || pg_get_constraintdef(oid) FROM pg_constraint"
                + " WHERE contype = 'u' AND connamespace = 'public'::regnamespace ORDER BY 1");
        assertTrue(uniques.contains("work_items: UNIQUE (run_id, stage, item_key)"), uniques.toString());
        assertTrue(uniques.contains("stages: UNIQUE (run_id, name)"), uniques.toString());
        assertTrue(uniques.contains("predictions: UNIQUE NULLS NOT DISTINCT (run_id, model, task, seed, split, item_id,"
                + " condition, spec, modality, layer, mode, alpha)"), uniques.toString());
        assertTrue(uniques.contains("vectors: UNIQUE (run_id, model, task, spec, seed, layer, kind, variant)"), uniques.toString());
        List<String> fks = strings("SELECT conrelid::regclass || ' -> ' || confrelid::regclass FROM pg_constraint"
                + " WHERE contype = 'f' AND connamespace = 'public'::regnamespace ORDER BY 1");
        for (String fk : List.of("metrics -> runs", "predictions -> runs", "predictions -> vectors", "prompts -> runs",
                "stages -> runs", "vector_parents -> vectors", "vectors -> prompts", "vectors -> runs",
                "work_items -> stages")) {
            assertTrue(fks.contains(fk), fk + " missing from " + fks);
        }
        assertTrue(strings("SELECT indexname FROM pg_indexes WHERE tablename = 'work_items'").contains("work_items_claimable_idx"));
    }

    @Test
    void everyMigrationIsAppliedAndTheServerIsPostgres17() throws SQLException {
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "10", "20", "21", "22", "23", "24", "25", "26", "27"),
                strings("SELECT version FROM flyway_schema_history WHERE version IS NOT NULL AND success ORDER BY installed_rank"));
        assertEquals(17, strings("SELECT DISTINCT script FROM flyway_schema_history WHERE version IS NULL AND success").size(),
                "repeatable view migrations (each listed again when it changes)");
        assertTrue(strings("SHOW server_version").get(0).startsWith("17."));
    }

    @Test
    void durabilitySettingsAreOn() throws SQLException {
        // zonky turns these off for throwaway servers; taskvec's data must survive a crash
        assertEquals(List.of("on"), strings("SHOW fsync"));
        assertEquals(List.of("on"), strings("SHOW synchronous_commit"));
        assertEquals(List.of("on"), strings("SHOW full_page_writes"));
    }

    @Test
    void describeSaysWhereTheServerListens() {
        String port = Integer.toString(store.serverStatus().port());
        assertTrue(store.describe().contains("port " + port), store.describe());
        assertTrue(store.describe().contains("psql -h localhost -p " + port + " -U postgres taskvec"), store.describe());
        assertEquals("jdbc:postgresql://localhost:" + port + "/taskvec?user=postgres", store.jdbcUrl());
    }

    static List<String> strings(String sql) throws SQLException {
        try (Connection c = store.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) out.add(rs.getString(1));
            return out;
        }
    }
}
