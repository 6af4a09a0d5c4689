package taskvec.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import taskvec.store.Store;
import taskvec.store.repo.ResultViews;

/**
 * The views a report is made of (db/migration/R__view_report_*.sql), one per report table or
 * chart, and loading them for a run. Every number the report shows is a value of one of these.
 */
public final class ReportViews {
    private ReportViews() {}

    public static final ReportView PROVENANCE = new ReportView("report_provenance", "run_id");
    public static final ReportView MODELS = new ReportView("report_models", "model, file");
    public static final ReportView SETTINGS = new ReportView("report_settings", "setting");
    public static final ReportView STAGES = new ReportView("report_stages", "started_at NULLS LAST, stage");
    public static final ReportView FAILURES = new ReportView("report_failures", "stage, item");
    public static final ReportView PAPER_LAYOUT = new ReportView("report_paper_layout", "model");
    public static final ReportView MAIN_TABLE = new ReportView("report_main_table",
            "model, spec, modality, task = 'average', task");
    public static final ReportView PATCH_BY_VECTOR = new ReportView("report_patch_by_vector", "model, modality, spec, mode, alpha");
    public static final ReportView LAYER_CURVE = new ReportView("report_layer_curve", "model, spec, modality, mode, layer");
    public static final ReportView SAMPLE_EFFICIENCY = new ReportView("report_sample_efficiency",
            "model, modality, mode, vector, examples");
    public static final ReportView PHASES = new ReportView("report_phases", "model, task, spec, modality, probe, layer");
    public static final ReportView PHASE_TOKENS = new ReportView("report_phase_tokens", "model, task, spec, modality, layer");
    public static final ReportView PHASE_PEAKS = new ReportView("report_phase_peaks", "model, task, spec, modality, probe");
    public static final ReportView SIMILARITY = new ReportView("report_similarity",
            "a_model, a_task, a_spec, a_modality, b_model, b_task, b_spec, b_modality");
    public static final ReportView SIMILARITY_BY_LAYER = new ReportView("report_similarity_by_layer", "layer");
    public static final ReportView MAP = new ReportView("report_map", "kind, model, task, spec, modality, item");
    public static final ReportView LLM_VLM = new ReportView("report_llm_vlm_cosine", "source_model, target_model, spec, task, layer");
    public static final ReportView LLM_VLM_PATCH = new ReportView("report_llm_vlm_patch",
            "model, spec, modality, task = 'average', task");
    public static final ReportView PAPER_REFERENCE = new ReportView("report_paper_reference", "paper_model, column_name");
    public static final ReportView CONFLICT = new ReportView("report_conflict",
            "model, spec, modality, prompted_task, patched_task, layer");

    public static final List<ReportView> ALL = List.of(PROVENANCE, MODELS, SETTINGS, STAGES, FAILURES, PAPER_LAYOUT,
            MAIN_TABLE, PATCH_BY_VECTOR, LAYER_CURVE, SAMPLE_EFFICIENCY, PHASES, PHASE_TOKENS, PHASE_PEAKS, SIMILARITY,
            SIMILARITY_BY_LAYER, MAP, LLM_VLM, LLM_VLM_PATCH, CONFLICT, PAPER_REFERENCE);

    /** Every report view's rows for the run; a run that does not exist is an IllegalArgumentException. */
    public static Map<String, ViewTable> load(Store store, long runId) {
        Map<String, ViewTable> out = new LinkedHashMap<>();
        for (ReportView v : ALL) {
            ResultViews.Table t = store.views().table(v.name(), v.orderBy(), runId);
            out.put(v.name(), new ViewTable(v.name(), t.columns(), t.rows()));
        }
        if (out.get(PROVENANCE.name()).isEmpty()) throw new IllegalArgumentException("run " + runId + ": no such run");
        return out;
    }
}
