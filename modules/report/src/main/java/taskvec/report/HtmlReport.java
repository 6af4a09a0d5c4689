package taskvec.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * index.html of a run: one section per report view group, tables and inline SVG charts, no
 * scripts and no external resources. Every number shown from the data is a tagged span or an
 * SVG point whose data attributes name the view, row and column it came from.
 */
final class HtmlReport {
    private HtmlReport() {}

    /** The section ids, in page order; a test checks every one is present. */
    static final List<String> SECTIONS = List.of("provenance", "history", "main-table", "layer-curves", "sample-efficiency",
            "phases", "similarity", "map", "llm-vlm", "conflict", "closing");

    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:24px auto;max-width:1100px;color:#222}
            h1{font-size:1.6em}h2{border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:2em}h3{font-size:1.05em;margin-bottom:4px}
            table{border-collapse:collapse;margin:8px 0;font-size:.9em}th,td{border:1px solid #ddd;padding:3px 8px;text-align:left}
            td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f4f4f4}
            .empty{color:#777;font-style:italic}.fail{color:#a00}.charts{display:flex;flex-wrap:wrap;gap:16px}
            svg text{font-size:11px;fill:#333}svg .ctitle{font-size:12px;font-weight:600}svg .tick{fill:#666}
            code{background:#f4f4f4;padding:1px 4px}.phase{border:1px solid #eee;padding:8px;margin:8px 0}
            """;

    static String render(long runId, Map<String, ViewTable> v) {
        ViewTable prov = v.get(ReportViews.PROVENANCE.name());
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>");
        b.append("<title>taskvec report: ").append(Html.esc(prov.text(0, "name"))).append("</title><style>").append(STYLE)
                .append("</style></head><body>");
        b.append("<h1>taskvec report: ").append(Html.esc(prov.text(0, "name"))).append(" (run ").append(Html.value(prov, 0, "run_id"))
                .append(")</h1>");
        b.append("<p>Status <b>").append(Html.esc(prov.text(0, "status"))).append("</b>. Every number below is a value of a SQL view")
                .append(" (named above each table); the CSV files beside this page hold each view's rows.</p>");
        if (prov.text(0, "status").equals("running")) {
            b.append("<p>Written while the run was still running (the report stage writes it just before the run is marked done);")
                    .append(" <code>./taskvec report RUN</code> writes it again from the finished run.</p>");
        }
        provenance(b, v);
        history(b, v);
        mainTable(b, v);
        layerCurves(b, v);
        sampleEfficiency(b, v);
        phases(b, v);
        similarity(b, v);
        map(b, v);
        llmVlm(b, v);
        conflict(b, v);
        closing(b, v);
        return b.append("</body></html>\n").toString();
    }

    private static void open(StringBuilder b, String id, String title, String... views) {
        b.append("<section id=\"").append(id).append("\"><h2>").append(Html.esc(title)).append("</h2><p class=\"views\">From ");
        for (int i = 0; i < views.length; i++) b.append(i == 0 ? "" : ", ").append("<code>").append(views[i]).append("</code>");
        b.append(".</p>");
    }

    private static void empty(StringBuilder b, String what) {
        b.append("<p class=\"empty\">Not in this run: ").append(Html.esc(what)).append(".</p>");
    }

    private static void provenance(StringBuilder b, Map<String, ViewTable> v) {
        open(b, "provenance", "Provenance", "report_provenance", "report_models", "report_settings");
        ViewTable p = v.get("report_provenance");
        b.append(Html.table(p, new String[] {"code_version", "device", "dtype", "engine_versions", "started_at", "finished_at", "seconds"},
                new String[] {"code version", "device", "dtype", "engines", "started", "finished", "seconds"}));
        ViewTable m = v.get("report_models");
        b.append("<h3>Models and file hashes</h3>");
        if (m.isEmpty()) empty(b, "model file hashes");
        else b.append(Html.table(m, new String[] {"model", "revision", "file", "sha256"}, new String[] {"model", "revision", "file", "SHA-256"}));
        b.append("<h3>Settings (the study as run)</h3>");
        ViewTable s = v.get("report_settings");
        b.append(Html.table(s, new String[] {"setting", "value"}, new String[] {"setting", "value"}));
        b.append("</section>");
    }

    private static void history(StringBuilder b, Map<String, ViewTable> v) {
        open(b, "history", "Stages, failures and reuse", "report_stages", "report_failures");
        ViewTable p = v.get("report_provenance");
        ViewTable st = v.get("report_stages");
        ViewTable f = v.get("report_failures");
        List<String> failedStages = new ArrayList<>(), reused = new ArrayList<>();
        for (int r = 0; r < st.size(); r++) {
            String status = st.text(r, "status");
            if (status.equals("failed")) failedStages.add(st.text(r, "stage"));
            if (status.equals("reused")) {
                reused.add(Html.esc(st.text(r, "stage")) + (st.get(r, "reused_from_run") == null ? ""
                        : " (from run " + Html.value(st, r, "reused_from_run") + ")"));
            } else if (((Number) st.get(r, "items_reused")).longValue() > 0) {
                reused.add(Html.esc(st.text(r, "stage")) + " (" + Html.value(st, r, "items_reused") + " of its work items)");
            }
        }
        if (p.text(0, "status").equals("failed") || !failedStages.isEmpty() || !f.isEmpty()) {
            b.append("<p class=\"fail\" id=\"what-failed\"><b>What failed:</b> ");
            b.append(failedStages.isEmpty() ? "the run" : "stage(s) " + Html.esc(String.join(", ", failedStages)));
            if (p.get(0, "error") != null) b.append(": ").append(Html.esc(p.text(0, "error")));
            b.append(".</p>");
            if (!f.isEmpty()) {
                b.append("<h3>Failed work items</h3>");
                b.append(Html.table(f, new String[] {"stage", "item", "attempts", "error"}, new String[] {"stage", "item", "attempts", "error"}));
            }
        } else {
            b.append("<p id=\"what-failed\">Nothing failed.</p>");
        }
        List<String> again = new ArrayList<>();
        for (int r = 0; r < st.size(); r++) {
            if (((Number) st.get(r, "attempts")).longValue() > 1) {
                again.add(Html.esc(st.text(r, "stage")) + " (attempts: " + Html.value(st, r, "attempts") + ")");
            }
        }
        if (!again.isEmpty()) {
            b.append("<p id=\"resumed\"><b>Run again (resumed):</b> ").append(String.join(", ", again))
                    .append("; their done work items were kept, the rest ran again.</p>");
        }
        b.append("<p id=\"reused\"><b>Reused:</b> ").append(reused.isEmpty() ? "no stage; everything ran in this run" : String.join(", ", reused))
                .append(".</p>");
        if (st.isEmpty()) empty(b, "stage records");
        else b.append(Html.table(st, new String[] {"stage", "status", "attempts", "seconds", "reused_from_run", "items_done", "items_reused",
                        "items_failed", "items_open", "error"},
                new String[] {"stage", "status", "attempts", "seconds", "reused from run", "items done", "reused", "failed", "open", "error"}));
        b.append("</section>");
    }

    private static void mainTable(StringBuilder b, Map<String, ViewTable> v) {
        open(b, "main-table", "Main table (test accuracy)", "report_paper_layout", "report_main_table", "report_patch_by_vector");
        ViewTable pl = v.get("report_paper_layout");
        b.append("<h3>The paper's layout: image queries, average over tasks; the paper's v1 numbers where the model is the same</h3>");
        if (pl.isEmpty()) empty(b, "test results on image queries");
        else b.append(Html.table(pl, new String[] {"model", "paper_model", "no_context", "paper_no_context", "text_prompt", "paper_text_prompt", "text_patch",
                        "paper_text_patch", "image_prompt", "paper_image_prompt", "image_patch", "paper_image_patch", "llm_patch", "paper_llm_patch",
                        "llm_cosine", "paper_llm_cosine", "majority", "paper_majority"},
                new String[] {"model", "paper's model", "no context", "paper", "text examples: prompt", "paper", "text examples: patch", "paper",
                        "image examples: prompt", "paper", "image examples: patch", "paper", "LLM→VLM patch", "paper", "LLM/VLM cosine", "paper",
                        "majority class", "paper"}));
        ViewTable mt = v.get("report_main_table");
        b.append("<h3>Per task</h3>");
        if (mt.isEmpty()) empty(b, "test results");
        else b.append(Html.table(mt, new String[] {"model", "spec", "modality", "task", "no_context", "prompt", "patch", "patch_layer", "majority"},
                new String[] {"model", "vector from", "query", "task", "no context", "prompt", "patch", "patch layer", "majority class"}));
        ViewTable pv = v.get("report_patch_by_vector");
        b.append("<h3>Every patched vector (average over tasks, at the layer val chose)</h3>");
        if (pv.isEmpty()) empty(b, "patched test queries");
        else b.append(Html.table(pv, new String[] {"model", "spec", "modality", "mode", "alpha", "layer", "accuracy", "n_tasks"},
                new String[] {"model", "vector", "query", "mode", "alpha", "layer", "test accuracy", "tasks"}));
        b.append("</section>");
    }

    private static void layerCurves(StringBuilder b, Map<String, ViewTable> v) {
        open(b, "layer-curves", "Accuracy per layer (val), chosen layer ringed", "report_layer_curve");
        ViewTable t = v.get("report_layer_curve");
        if (t.isEmpty()) { empty(b, "val results per layer"); b.append("</section>"); return; }
        b.append("<div class=\"charts\">");
        for (Map.Entry<String, List<Integer>> model : Groups.by(t, "model").entrySet()) {
            List<ChartSeries> series = new ArrayList<>();
            Map<String, List<Integer>> bySeries = new java.util.LinkedHashMap<>();
            for (int r : model.getValue()) bySeries.computeIfAbsent(t.text(r, "spec") + " → " + t.text(r, "modality")
                    + (t.get(r, "mode") == null ? "" : " (" + t.text(r, "mode") + ")"), k -> new ArrayList<>()).add(r);
            for (Map.Entry<String, List<Integer>> s : bySeries.entrySet()) {
                List<ChartPoint> pts = new ArrayList<>();
                for (int r : s.getValue()) pts.add(new ChartPoint(t, r, "layer", "accuracy", Boolean.TRUE.equals(t.get(r, "chosen"))));
                series.add(new ChartSeries(s.getKey(), pts));
            }
            b.append(LineChart.render(model.getKey(), "layer", "val accuracy", series, LineChart.YScale.UNIT));
        }
        b.append("</div></section>");
    }

    private static void sampleEfficiency(StringBuilder b, Map<String, ViewTable> v) {
        open(b, "sample-efficiency", "Sample efficiency (test accuracy by number of examples)", "report_sample_efficiency");
        ViewTable t = v.get("report_sample_efficiency");
        if (t.isEmpty()) { empty(b, "the sample-efficiency curve"); b.append("</section>"); return; }
        List<ChartSeries> series = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> s : Groups.by(t, "model", "modality", "mode", "vector").entrySet()) {
            List<ChartPoint> pts = new ArrayList<>();
            for (int r : s.getValue()) pts.add(new ChartPoint(t, r, "examples", "accuracy", false));
            series.add(new ChartSeries(s.getKey(), pts));
        }
        b.append(LineChart.render("accuracy by examples", "examples", "test accuracy", series, LineChart.YScale.UNIT)).append("</section>");
    }

    private static void phases(StringBuilder b, Map<String, ViewTable> v) {
        open(b, "phases", "Three phases (logit lens at the last token)", "report_phases", "report_phase_tokens");
        ViewTable t = v.get("report_phases");
        ViewTable tok = v.get("report_phase_tokens");
        if (t.isEmpty()) { empty(b, "logit-lens rows"); b.append("</section>"); return; }
        Map<String, List<Integer>> tokenGroups = Groups.by(tok, "model", "task", "spec", "modality");
        for (Map.Entry<String, List<Integer>> g : Groups.by(t, "model", "task", "spec", "modality").entrySet()) {
            b.append("<div class=\"phase\"><h3>").append(Html.esc(g.getKey())).append("</h3><div class=\"charts\">");
            Map<String, List<Integer>> byProbe = new java.util.LinkedHashMap<>();
            for (int r : g.getValue()) {
                String token = t.get(r, "token") == null ? "" : " (" + t.text(r, "token") + ")";
                byProbe.computeIfAbsent(t.text(r, "probe") + token, k -> new ArrayList<>()).add(r);
            }
            List<ChartSeries> series = new ArrayList<>();
            for (Map.Entry<String, List<Integer>> s : byProbe.entrySet()) {
                List<ChartPoint> pts = new ArrayList<>();
                for (int r : s.getValue()) pts.add(new ChartPoint(t, r, "layer", "probability", false));
                series.add(new ChartSeries(s.getKey(), pts));
            }
            b.append(LineChart.render(g.getKey(), "layer", "mean probability", series, LineChart.YScale.FROM_ZERO));
            List<Integer> rows = tokenGroups.getOrDefault(g.getKey(), List.of());
            b.append("<table data-table=\"report_phase_tokens\"><thead><tr><th>layer</th><th>top decoded tokens</th></tr></thead><tbody>");
            for (int r : rows) {
                b.append("<tr><td class=\"n\">").append(Html.value(tok, r, "layer")).append("</td><td>").append(Html.esc(tok.text(r, "tokens")))
                        .append("</td></tr>");
            }
            b.append("</tbody></table></div></div>");
        }
        b.append("</section>");
    }

    private static void similarity(StringBuilder b, Map<String, ViewTable> v) {
        open(b, "similarity", "Similarity of task vectors", "report_similarity", "report_similarity_by_layer");
        ViewTable t = v.get("report_similarity");
        if (t.isEmpty()) { empty(b, "task-vector similarities"); b.append("</section>"); return; }
        // the model joins a label only when the run compares vectors of several models
        boolean models = Groups.by(t, "a_model").size() > 1 || Groups.by(t, "b_model").size() > 1;
        String[] aCols = models ? new String[] {"a_task", "a_spec", "a_modality", "a_model"} : new String[] {"a_task", "a_spec", "a_modality"};
        String[] bCols = models ? new String[] {"b_task", "b_spec", "b_modality", "b_model"} : new String[] {"b_task", "b_spec", "b_modality"};
        List<String> labels = new ArrayList<>();
        for (int r = 0; r < t.size(); r++) {
            String l = Groups.key(t, r, aCols);
            if (!labels.contains(l)) labels.add(l);
        }
        b.append("<p>Cosine similarity at layer ").append(Html.value(t, 0, "layer")).append(" (red +1, white 0, blue -1).</p>");
        b.append("<div class=\"charts\">");
        b.append(Heatmap.render("cosine between task vectors", t, labels, labels, "cosine",
                r -> Groups.key(t, r, aCols), r -> Groups.key(t, r, bCols)));
        ViewTable bl = v.get("report_similarity_by_layer");
        if (!bl.isEmpty()) {
            List<ChartPoint> same = new ArrayList<>(), diff = new ArrayList<>();
            for (int r = 0; r < bl.size(); r++) {
                if (bl.get(r, "same_task") != null) same.add(new ChartPoint(bl, r, "layer", "same_task", false));
                if (bl.get(r, "different_task") != null) diff.add(new ChartPoint(bl, r, "layer", "different_task", false));
            }
            List<ChartSeries> series = new ArrayList<>();
            if (!same.isEmpty()) series.add(new ChartSeries("same task", same));
            if (!diff.isEmpty()) series.add(new ChartSeries("different tasks", diff));
            if (!series.isEmpty()) b.append(LineChart.render("mean cosine by layer", "layer", "cosine", series, LineChart.YScale.DATA));
        }
        b.append("</div></section>");
    }

    private static void map(StringBuilder b, Map<String, ViewTable> v) {
        open(b, "map", "Map of task vectors and context embeddings", "report_map");
        ViewTable t = v.get("report_map");
        if (t.isEmpty()) { empty(b, "the 2-D map"); b.append("</section>"); return; }
        b.append("<p>").append(Html.esc(t.text(0, "method").toUpperCase(java.util.Locale.ROOT))).append(" at layer ")
                .append(Html.value(t, 0, "layer")).append(": colour is the task, shape the modality of the prompts;")
                .append(" task vectors should cluster by task, context embeddings by modality.</p>");
        // one panel per kind: each kind has its own projection (residuals and input embeddings live on different scales)
        b.append("<div class=\"charts\">");
        for (Map.Entry<String, List<Integer>> kind : Groups.by(t, "kind").entrySet()) {
            List<ChartPoint> pts = new ArrayList<>();
            List<Integer> rows = kind.getValue();
            for (int r : rows) pts.add(new ChartPoint(t, r, "x", "y", false));
            String title = kind.getKey().equals("context") ? "context embeddings (hollow)" : "task vectors (filled)";
            b.append(ScatterChart.render(title, pts, i -> t.text(rows.get(i), "task"), i -> t.text(rows.get(i), "modality"),
                    i -> t.text(rows.get(i), "kind").equals("context")));
        }
        b.append("</div></section>");
    }

    private static void llmVlm(StringBuilder b, Map<String, ViewTable> v) {
        open(b, "llm-vlm", "LLM to VLM: the base LLM's task vectors patched into the VLM, and their cosine", "report_llm_vlm_patch",
                "report_llm_vlm_cosine");
        ViewTable patch = v.get("report_llm_vlm_patch");
        ViewTable t = v.get("report_llm_vlm_cosine");
        if (t.isEmpty() && patch.isEmpty()) { empty(b, "LLM vectors"); b.append("</section>"); return; }
        b.append("<h3>Patched into the VLM (test accuracy at the layer val chose, per task and on average)</h3>");
        if (patch.isEmpty()) empty(b, "patched LLM vectors");
        else b.append(Html.table(patch, new String[] {"model", "spec", "modality", "task", "layer", "accuracy"},
                new String[] {"model", "vector", "query", "task", "layer", "test accuracy"}));
        if (t.isEmpty()) { empty(b, "LLM/VLM cosines"); b.append("</section>"); return; }
        List<ChartSeries> series = new ArrayList<>();
        b.append("<p>").append(Html.esc(t.text(0, "source_model"))).append(" → ").append(Html.esc(t.text(0, "target_model")))
                .append(", seeds averaged; every row is in <code>report_llm_vlm_cosine.csv</code>.</p><div class=\"charts\">");
        for (Map.Entry<String, List<Integer>> spec : Groups.by(t, "spec").entrySet()) {
            Map<String, List<Integer>> byTask = new java.util.LinkedHashMap<>();
            for (int r : spec.getValue()) byTask.computeIfAbsent(t.text(r, "task"), k -> new ArrayList<>()).add(r);
            for (Map.Entry<String, List<Integer>> s : byTask.entrySet()) {
                List<ChartPoint> pts = new ArrayList<>();
                for (int r : s.getValue()) pts.add(new ChartPoint(t, r, "layer", "cosine", false));
                series.add(new ChartSeries(s.getKey(), pts));
            }
            b.append(LineChart.render("LLM vs VLM " + spec.getKey() + " vectors", "layer", "cosine", series, LineChart.YScale.DATA));
            series = new ArrayList<>();
        }
        b.append("</div></section>");
    }

    private static void conflict(StringBuilder b, Map<String, ViewTable> v) {
        open(b, "conflict", "Task conflict: which task the answer follows", "report_conflict");
        ViewTable t = v.get("report_conflict");
        if (t.isEmpty()) { empty(b, "task-conflict queries"); b.append("</section>"); return; }
        b.append(StackedBars.render("share of answers", t, List.of("patched", "prompted", "neither"),
                r -> t.text(r, "prompted_task") + " patched with " + t.text(r, "patched_task") + " (" + t.text(r, "spec") + ")"));
        b.append(Html.table(t, new String[] {"model", "spec", "modality", "prompted_task", "patched_task", "layer", "n", "patched", "prompted", "neither"},
                new String[] {"model", "context", "query", "prompted task", "patched task", "layer", "n", "follows patched", "follows prompted",
                        "neither"})).append("</section>");
    }

    /**
     * The paper's other findings in this run, whatever the numbers are, beside the paper's (report_paper_reference):
     * LLM->VLM patch and cosine, the sample-efficiency curve, the majority-class baseline.
     */
    private static void closingFindings(StringBuilder b, Map<String, ViewTable> v) {
        ViewTable pl = v.get("report_paper_layout");
        ViewTable ref = v.get("report_paper_reference");
        for (int r = 0; r < pl.size(); r++) {
            String model = Html.esc(pl.text(r, "model"));
            if (pl.get(r, "llm_patch") != null) {
                b.append("<p>").append(model).append(", LLM→VLM: the base LLM's text-example vectors patched into image queries reach ")
                        .append(Html.value(pl, r, "llm_patch")).append(" (the paper: ").append(paperValues(ref, "llm_patch"))
                        .append("); the cosine of LLM and VLM vectors at that layer is ");
                b.append(pl.get(r, "llm_cosine") == null ? "not measured" : Html.value(pl, r, "llm_cosine"))
                        .append(" (the paper: ").append(paperValues(ref, "llm_cosine")).append(").</p>");
            }
            if (pl.get(r, "majority") != null) {
                b.append("<p>").append(model).append(": the majority-class baseline (the most frequent first-token answer per task) is ")
                        .append(Html.value(pl, r, "majority")).append(" (the paper: ").append(paperValues(ref, "majority")).append(").</p>");
            }
        }
        ViewTable se = v.get("report_sample_efficiency");
        for (Map.Entry<String, List<Integer>> g : Groups.by(se, "model", "modality", "mode", "vector").entrySet()) {
            List<String> points = new ArrayList<>();
            for (int r : g.getValue()) points.add("n = " + Html.value(se, r, "examples") + ": " + Html.value(se, r, "accuracy"));
            b.append("<p>Sample efficiency, ").append(Html.esc(g.getKey())).append(": ").append(String.join(", ", points))
                    .append(" (the paper: accuracy rises with the number of examples, and averaging the instruction in helps most"
                            + " when examples are few).</p>");
        }
    }

    /** The paper's values of one column, "0.37 (LLaVA-1.5-7B), 0.52 (Idefics2-8B)", each tagged with its view. */
    private static String paperValues(ViewTable ref, String column) {
        List<String> out = new ArrayList<>();
        for (int r = 0; r < ref.size(); r++) {
            if (ref.text(r, "column_name").equals(column)) {
                out.add(Html.value(ref, r, "value") + " for " + Html.esc(ref.text(r, "paper_model")));
            }
        }
        return out.isEmpty() ? "no number" : String.join(", ", out);
    }

    private static void closing(StringBuilder b, Map<String, ViewTable> v) {
        open(b, "closing", "Closing note", "report_phase_peaks", "report_paper_layout", "report_sample_efficiency",
                "report_paper_reference");
        ViewTable peaks = v.get("report_phase_peaks");
        if (peaks.isEmpty()) {
            b.append("<p>This run has no logit-lens rows, so nothing is said about the phases.</p>");
        } else {
            b.append("<ul>");
            for (Map.Entry<String, List<Integer>> g : Groups.by(peaks, "model", "task", "spec", "modality").entrySet()) {
                b.append("<li>").append(Html.esc(g.getKey())).append(": ");
                List<String> parts = new ArrayList<>();
                for (int r : g.getValue()) {
                    String probe = switch (peaks.text(r, "probe")) {
                        case "task" -> "the task word";
                        case "answer" -> "the answer";
                        default -> "the input token";
                    };
                    parts.add(probe + " peaks at layer " + Html.value(peaks, r, "layer") + " (p = " + Html.value(peaks, r, "probability") + ")");
                }
                b.append(String.join("; ", parts)).append(".</li>");
            }
            b.append("</ul>");
        }
        ViewTable pl = v.get("report_paper_layout");
        for (int r = 0; r < pl.size(); r++) {
            if (pl.get(r, "paper_model") == null || pl.get(r, "text_patch") == null) continue;
            b.append("<p>").append(Html.esc(pl.text(r, "model"))).append(": text-example vectors patched into image queries reach ")
                    .append(Html.value(pl, r, "text_patch")).append(" against the paper's ").append(Html.value(pl, r, "paper_text_patch"))
                    .append(" for ").append(Html.esc(pl.text(r, "paper_model"))).append(".</p>");
        }
        closingFindings(b, v);
        b.append("</section>");
    }
}
