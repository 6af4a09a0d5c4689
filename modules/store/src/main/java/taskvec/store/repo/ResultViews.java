package taskvec.store.repo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The result views the workflow reads back: the layer val chose (best_layer) and the paper's main table. */
public final class ResultViews {

    /** A row of best_layer: the val layer chosen per (model, vector, query modality, mode, alpha); alpha null for replace. */
    public record BestLayer(String model, String spec, String modality, String mode, Float alpha, int layer, double valAccuracy) {}

    /** A row of paper_main_table; a column is null where the run has no such prediction. */
    public record MainTableRow(String spec, String modality, String task, Double noContext, Double prompt, Double patch, Double patchLayer) {}

    /** A view's rows for one run: values as JDBC gives them, timestamps as OffsetDateTime. */
    public record Table(List<String> columns, List<List<Object>> rows) {}

    private static final java.util.regex.Pattern VIEW = java.util.regex.Pattern.compile("[a-z_]+");
    private static final java.util.regex.Pattern ORDER = java.util.regex.Pattern.compile("[A-Za-z_ ,=']+");

    private final DataSource ds;

    public ResultViews(DataSource ds) {
        this.ds = ds;
    }

    public List<BestLayer> bestLayers(long runId) {
        String sql = "SELECT model, spec, modality, mode, alpha, layer, val_accuracy FROM best_layer WHERE run_id = ?"
                + " ORDER BY model, spec, modality, mode, alpha";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, runId);
            List<BestLayer> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    float alpha = rs.getFloat(5);
                    Float a = rs.wasNull() ? null : alpha;
                    out.add(new BestLayer(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), a, rs.getInt(6), rs.getDouble(7)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw Sql.fail("reading best_layer of run " + runId, e);
        }
    }

    public List<MainTableRow> mainTable(long runId) {
        String sql = "SELECT spec, modality, task, no_context, prompt, patch, patch_layer FROM paper_main_table WHERE run_id = ?"
                + " ORDER BY spec, modality, task";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, runId);
            List<MainTableRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new MainTableRow(rs.getString(1), rs.getString(2), rs.getString(3), number(rs, 4), number(rs, 5), number(rs, 6),
                            number(rs, 7)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw Sql.fail("reading paper_main_table of run " + runId, e);
        }
    }

    /**
     * The rows of a view (one with a run_id column) for one run, ordered by {@code orderBy}: column
     * names from the caller's code (the report's list of views), checked to be nothing else.
     */
    public Table table(String view, String orderBy, long runId) {
        if (!VIEW.matcher(view).matches() || !ORDER.matcher(orderBy).matches()) {
            throw new IllegalArgumentException("not a view name and column list: " + view + " / " + orderBy);
        }
        String sql = "SELECT * FROM " + view + " WHERE run_id = ? ORDER BY " + orderBy;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                java.sql.ResultSetMetaData md = rs.getMetaData();
                List<String> cols = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) cols.add(md.getColumnLabel(i));
                List<List<Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= cols.size(); i++) {
                        Object o = rs.getObject(i);
                        if (o instanceof java.sql.Timestamp) o = rs.getObject(i, java.time.OffsetDateTime.class);
                        row.add(o);
                    }
                    rows.add(row);
                }
                return new Table(List.copyOf(cols), rows);
            }
        } catch (SQLException e) {
            throw Sql.fail("reading " + view + " of run " + runId, e);
        }
    }

    /** What `run` prints after the items: a title and the query of a view (every parameter: the run id), rounded to 3 places. */
    private static final String[][] RUN_SUMMARY = {
        {"main table (test accuracy; seeds averaged; patch at the layer chosen on val; majority: the majority-class baseline)",
            "SELECT model, spec, modality, task, round(no_context::numeric, 3) AS no_context, round(prompt::numeric, 3) AS prompt,"
            + " round(patch::numeric, 3) AS patch, patch_layer, round(majority::numeric, 3) AS majority FROM paper_main_table"
            + " WHERE run_id = ? ORDER BY model, spec, modality, task = 'average', task"},
        {"majority-class baseline (the most frequent first-token answer per task on test; the paper: 0.14)",
            "SELECT * FROM (SELECT task, majority_token, n, round(accuracy::numeric, 3) AS accuracy FROM majority_baseline"
            + " WHERE run_id = ? UNION ALL SELECT 'average', NULL, sum(n), round(avg(accuracy)::numeric, 3) FROM majority_baseline"
            + " WHERE run_id = ?) m ORDER BY task = 'average', task"},
        {"LLM->VLM patch (the source model's vectors patched into the target, test, at the layer val chose; the paper:"
            + " Vicuna->LLaVA 0.37, Mistral->Idefics2 0.52)",
            "SELECT spec, modality, task, layer, round(accuracy::numeric, 3) AS accuracy FROM report_llm_vlm_patch WHERE run_id = ?"
            + " ORDER BY spec, modality, task = 'average', task"},
        {"LLM/VLM cosine per layer (tasks and seeds averaged; the paper: 0.95 for LLaVA, 0.89 for Idefics2)",
            "SELECT spec, layer, round(avg(cosine)::numeric, 3) AS cosine FROM report_llm_vlm_cosine WHERE run_id = ?"
            + " GROUP BY spec, layer ORDER BY spec, layer"},
        {"sample efficiency (test accuracy of the vector from n text examples, alone and averaged with the instruction;"
            + " n = 0 is the instruction alone)",
            "SELECT modality, mode, examples, round((max(accuracy) FILTER (WHERE vector = 'examples'))::numeric, 3) AS alone,"
            + " round((max(accuracy) FILTER (WHERE vector = 'ensemble'))::numeric, 3) AS with_instruction"
            + " FROM report_sample_efficiency WHERE run_id = ? GROUP BY modality, mode, examples ORDER BY modality, mode, examples"},
    };


    /** A titled table of what `run` prints. */
    public record TitledTable(String title, TextTable table) {
    }

    /**
     * What `run` prints after its items, as text: the main table with the majority-class baseline, the majority
     * baseline per task, the LLM->VLM patch per task, the LLM/VLM cosine per layer and the sample-efficiency curve.
     */
    public List<TitledTable> runSummaryText(long runId) {
        List<TitledTable> out = new java.util.ArrayList<>();
        try (Connection c = ds.getConnection()) {
            for (String[] section : RUN_SUMMARY) {
                try (PreparedStatement ps = c.prepareStatement(section[1])) {
                    for (int i = 1; i <= ps.getParameterMetaData().getParameterCount(); i++) ps.setLong(i, runId);
                    try (ResultSet rs = ps.executeQuery()) {
                        out.add(new TitledTable(section[0], TextTable.of(rs)));
                    }
                }
            }
        } catch (SQLException e) {
            throw Sql.fail("reading the summary views of run " + runId, e);
        }
        return out;
    }

    private static Double number(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }
}
