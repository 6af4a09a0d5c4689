-- The paper's main table: test accuracy with no context, with the prompt (in-context) and with
-- the patched task vector (mode 'replace', no alpha) at the best val layer, per task and as an
-- average over tasks; seeds averaged; and the majority-class baseline of the task (majority_baseline:
-- the most frequent first-token answer on test, the paper's "random" row). One row per (run, model,
-- spec, modality, task) that has prompt results; task = 'average' is the mean row. NULL where a
-- condition was not evaluated.
CREATE OR REPLACE VIEW paper_main_table AS
WITH test AS (
    SELECT * FROM accuracy WHERE split = 'test'
),
per_task AS (
    SELECT p.run_id, p.model, p.spec, p.modality, p.task,
           nc.accuracy AS no_context,
           p.accuracy  AS prompt,
           pa.accuracy AS patch,
           bl.layer    AS patch_layer,
           mb.accuracy AS majority
    FROM test p
    LEFT JOIN test nc
           ON nc.condition = 'no_context' AND nc.run_id = p.run_id AND nc.model = p.model
          AND nc.modality = p.modality AND nc.task = p.task
    LEFT JOIN best_layer bl
           ON bl.run_id = p.run_id AND bl.model = p.model AND bl.spec = p.spec
          AND bl.modality = p.modality AND bl.mode IS NOT DISTINCT FROM 'replace' AND bl.alpha IS NULL
    LEFT JOIN test pa
           ON pa.condition = 'patch' AND pa.run_id = p.run_id AND pa.model = p.model
          AND pa.spec = p.spec AND pa.modality = p.modality AND pa.task = p.task
          AND pa.layer = bl.layer AND pa.mode IS NOT DISTINCT FROM bl.mode AND pa.alpha IS NOT DISTINCT FROM bl.alpha
    LEFT JOIN majority_baseline mb
           ON mb.run_id = p.run_id AND mb.task = p.task
    WHERE p.condition = 'prompt'
)
SELECT run_id, model, spec, modality, task, no_context, prompt, patch, patch_layer, majority
FROM per_task
UNION ALL
SELECT run_id, model, spec, modality, 'average', avg(no_context), avg(prompt), avg(patch), min(patch_layer), avg(majority)
FROM per_task
GROUP BY run_id, model, spec, modality;
