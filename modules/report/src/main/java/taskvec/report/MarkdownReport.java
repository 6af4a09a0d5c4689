package taskvec.report;

import java.util.List;
import java.util.Map;

/** report.md: the report's tables in Markdown (charts are in index.html; their data in the CSVs). */
final class MarkdownReport {
    private MarkdownReport() {}

    static String render(long runId, Map<String, ViewTable> v) {
        ViewTable p = v.get("report_provenance");
        StringBuilder b = new StringBuilder("# taskvec report: ").append(escape(p.text(0, "name"))).append(" (run ").append(runId).append(")\n\n");
        b.append("Status: ").append(p.text(0, "status")).append(". Every number is a value of the SQL view named in its section;")
                .append(" the CSVs beside this file hold each view's rows and index.html draws the charts.\n");
        ViewTable st = v.get("report_stages");
        java.util.List<String> failed = new java.util.ArrayList<>(), reused = new java.util.ArrayList<>(), again = new java.util.ArrayList<>();
        for (int r = 0; r < st.size(); r++) {
            if (st.text(r, "status").equals("failed")) failed.add(st.text(r, "stage"));
            if (st.text(r, "status").equals("reused")) reused.add(st.text(r, "stage") + (st.get(r, "reused_from_run") == null ? ""
                    : " (from run " + Cells.format(st.get(r, "reused_from_run")) + ")"));
            if (((Number) st.get(r, "attempts")).longValue() > 1) again.add(st.text(r, "stage") + " (attempts: " + Cells.format(st.get(r, "attempts")) + ")");
        }
        b.append("\nWhat failed: ").append(failed.isEmpty() && p.get(0, "error") == null ? "nothing"
                : (failed.isEmpty() ? "the run" : "stage(s) " + String.join(", ", failed)) + (p.get(0, "error") == null ? "" : ": " + escape(p.text(0, "error"))))
                .append(".\nReused: ").append(reused.isEmpty() ? "no stage" : String.join(", ", reused)).append('.');
        if (!again.isEmpty()) b.append("\nRun again (resumed): ").append(String.join(", ", again)).append('.');
        b.append('\n');
        section(b, "Provenance", v.get("report_provenance"), List.of("code_version", "device", "dtype", "engine_versions", "started_at",
                "finished_at", "seconds", "error"));
        section(b, "Models and file hashes", v.get("report_models"), List.of("model", "revision", "file", "sha256"));
        section(b, "Stages, failures and reuse", v.get("report_stages"), List.of("stage", "status", "attempts", "seconds",
                "reused_from_run", "items_done", "items_reused", "items_failed", "items_open", "error"));
        section(b, "Failed work items", v.get("report_failures"), List.of("stage", "item", "attempts", "error"));
        section(b, "Main table: the paper's layout (image queries, average over tasks)", v.get("report_paper_layout"),
                List.of("model", "paper_model", "no_context", "paper_no_context", "text_prompt", "paper_text_prompt", "text_patch", "paper_text_patch",
                        "image_prompt", "paper_image_prompt", "image_patch", "paper_image_patch", "llm_patch", "paper_llm_patch",
                        "llm_cosine", "paper_llm_cosine", "majority", "paper_majority"));
        section(b, "Main table per task", v.get("report_main_table"), List.of("model", "spec", "modality", "task", "no_context", "prompt",
                "patch", "patch_layer", "majority"));
        section(b, "Every patched vector (test, average over tasks, at the chosen layer)", v.get("report_patch_by_vector"),
                List.of("model", "spec", "modality", "mode", "alpha", "layer", "accuracy", "n_tasks"));
        ViewTable curve = v.get("report_layer_curve");
        section(b, "Chosen layers (val)", curve.isEmpty() ? curve : filterChosen(curve), List.of("model", "spec", "modality", "mode",
                "layer", "accuracy"));
        section(b, "Sample efficiency", v.get("report_sample_efficiency"), List.of("model", "modality", "mode", "vector", "examples", "accuracy"));
        section(b, "Three phases: where each probe peaks", v.get("report_phase_peaks"), List.of("model", "task", "spec", "modality",
                "probe", "layer", "probability"));
        section(b, "Three phases: top decoded tokens per layer", v.get("report_phase_tokens"), List.of("model", "task", "spec",
                "modality", "layer", "tokens"));
        section(b, "Similarity by layer", v.get("report_similarity_by_layer"), List.of("layer", "same_task", "different_task"));
        section(b, "LLM to VLM patch (test, at the chosen layer)", v.get("report_llm_vlm_patch"), List.of("model", "spec", "modality",
                "task", "layer", "accuracy"));
        section(b, "LLM to VLM cosine", v.get("report_llm_vlm_cosine"), List.of("source_model", "target_model", "spec", "task", "layer",
                "cosine"));
        section(b, "Task conflict", v.get("report_conflict"), List.of("model", "spec", "modality", "prompted_task", "patched_task",
                "layer", "n", "patched", "prompted", "neither"));
        section(b, "The paper's reference numbers", v.get("report_paper_reference"), List.of("paper_model", "column_name", "value"));
        return b.toString();
    }

    /**
     * Text from the data (run names, errors, dataset words, decoded tokens) as literal Markdown: every
     * character Markdown or inline HTML gives a meaning is backslash-escaped and line breaks become
     * spaces, so a cell can neither break its table nor inject a link, an image or a script into a renderer.
     */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '\n' || c == '\r') out.append(' ');
            else if ("\\`*_[]<>!|~&".indexOf(c) >= 0) out.append('\\').append(c);
            else out.append(c);
        }
        return out.toString();
    }

    private static ViewTable filterChosen(ViewTable t) {
        List<List<Object>> rows = new java.util.ArrayList<>();
        for (int r = 0; r < t.size(); r++) if (Boolean.TRUE.equals(t.get(r, "chosen"))) rows.add(t.rows().get(r));
        return new ViewTable(t.view(), t.columns(), rows);
    }

    private static void section(StringBuilder b, String title, ViewTable t, List<String> cols) {
        b.append("\n## ").append(title).append("\n\nFrom `").append(t.view()).append("`.\n\n");
        if (t.isEmpty()) {
            b.append("_Not in this run._\n");
            return;
        }
        b.append('|');
        for (String c : cols) b.append(' ').append(c).append(" |");
        b.append("\n|");
        for (String c : cols) b.append(t.size() > 0 && Cells.isNumber(t.get(0, c)) ? " ---: |" : " --- |");
        b.append('\n');
        for (int r = 0; r < t.size(); r++) {
            b.append('|');
            for (String c : cols) b.append(' ').append(escape(Cells.format(t.get(r, c)))).append(" |");
            b.append('\n');
        }
    }
}
