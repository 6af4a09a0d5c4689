-- The paper's main table for the latest run: no context / prompt / patch per task, seeds averaged.
SELECT model, spec, modality, task,
       round(no_context::numeric, 3) AS no_context,
       round(prompt::numeric, 3)     AS prompt,
       round(patch::numeric, 3)      AS patch,
       patch_layer
FROM paper_main_table
WHERE run_id = (SELECT max(id) FROM runs)
ORDER BY model, spec, modality, task = 'average', task;
