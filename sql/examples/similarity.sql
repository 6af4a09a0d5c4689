-- Do task vectors cluster by task? Per layer of the latest run, the mean cosine between vectors of
-- the same task (other specifications or modalities) and between vectors of different tasks.
SELECT layer, round(same_task::numeric, 3) AS same_task, round(different_task::numeric, 3) AS different_task
FROM report_similarity_by_layer
WHERE run_id = (SELECT max(id) FROM runs)
ORDER BY layer;
