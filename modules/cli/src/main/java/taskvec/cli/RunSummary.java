package taskvec.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import taskvec.store.Store;
import taskvec.store.repo.Status;
import taskvec.workflow.RunOutcome;

/** What run and resume print at the end: the run, how its items went, where the database is, the main table. */
final class RunSummary {
    private RunSummary() {}

    /** What is printed after the items: a title and the query of a view (parameter: the run id), rounded to 3 places. */
    private static final String[][] SECTIONS = {
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

    private static void section(PrintWriter out, Connection c, long runId, String title, String sql) throws SQLException {
        out.println(title + ":");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 1; i <= ps.getParameterMetaData().getParameterCount(); i++) ps.setLong(i, runId);
            try (ResultSet rs = ps.executeQuery()) {
                ResultTable table = ResultTable.of(rs);
                if (table.size() == 0) out.println("  (none in this run)");
                else table.printAligned(out);
            }
        }
    }

    static void print(PrintWriter out, Store store, RunOutcome o) {
        out.println();
        out.println("run " + o.runId() + ": " + o.status().db() + (o.millis() > 0 ? " in " + String.format("%.1f", o.millis() / 1000.0) + " s" : ""));
        for (Map.Entry<String, Map<Status, Integer>> e : o.items().entrySet()) {
            Map<Status, Integer> c = e.getValue();
            out.println(String.format("  %-9s %3d done, %3d reused, %3d failed", e.getKey(), c.get(Status.DONE), c.get(Status.REUSED),
                    c.get(Status.FAILED)));
        }
        int done = o.count(Status.DONE);
        int reused = o.count(Status.REUSED);
        if (done == 0 && reused > 0) out.println("  all " + reused + " work items reused from earlier runs with the same keys (nothing recomputed)");
        if (!o.failed().isEmpty()) {
            out.println("failed work items:");
            o.failed().forEach(f -> out.println("  " + f));
        }
        out.println("database: " + store.describe());
        try (Connection c = store.dataSource().getConnection()) {
            for (String[] section : SECTIONS) section(out, c, o.runId(), section[0], section[1]);
        } catch (SQLException e) {
            out.println("  (cannot read the result views: " + e.getMessage() + ")");
        }
        out.println("more: ./taskvec status " + o.runId() + "; ./taskvec sql \"select * from paper_main_table where run_id = " + o.runId() + "\"");
        out.flush();
    }
}
