-- Report: LLM->VLM transfer, the base LLM's vectors ('source:text-examples', 'source:instruction',
-- 'source:ensemble') patched into the VLM's queries with the paper's replace, at the layer val
-- chose: test accuracy per task (seeds averaged) and the average over tasks (task = 'average').
CREATE OR REPLACE VIEW report_llm_vlm_patch AS
WITH per_task AS (
    SELECT run_id, model, spec, modality, task, layer, accuracy
    FROM accuracy
    WHERE split = 'test' AND condition = 'patch' AND spec LIKE 'source:%'
      AND mode IS NOT DISTINCT FROM 'replace' AND alpha IS NULL
)
SELECT run_id, model, spec, modality, task, layer, accuracy
FROM per_task
UNION ALL
SELECT run_id, model, spec, modality, 'average', min(layer), avg(accuracy)
FROM per_task
GROUP BY run_id, model, spec, modality;
