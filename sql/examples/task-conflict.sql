-- Task conflict in the latest run: queries prompted with one task and patched with another task's
-- vector; the share of answers that follow each.
SELECT model, spec, modality, prompted_task, patched_task, layer, n,
       round(patched::numeric, 3) AS follows_patched, round(prompted::numeric, 3) AS follows_prompted,
       round(neither::numeric, 3) AS neither
FROM report_conflict
WHERE run_id = (SELECT max(id) FROM runs)
ORDER BY model, prompted_task, patched_task;
