-- Report: cosine similarity of the base LLM's and the VLM's task vectors, from metrics named
-- 'llm_vlm_cosine' with keys {"source_model", "target_model", "task", "layer"}.
CREATE OR REPLACE VIEW report_llm_vlm_cosine AS
SELECT run_id, keys ->> 'source_model' AS source_model, keys ->> 'target_model' AS target_model,
       keys ->> 'task' AS task, (keys ->> 'layer')::int AS layer, value AS cosine
FROM metrics
WHERE name = 'llm_vlm_cosine';
