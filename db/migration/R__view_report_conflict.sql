-- Report: task conflict, which task the answers follow.
CREATE OR REPLACE VIEW report_conflict AS
SELECT run_id, model, prompted_task, patched_task, spec, modality, layer, n, patched, prompted, neither
FROM task_conflict;
