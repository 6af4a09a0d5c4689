-- Report: cosine similarity of the base LLM's and the VLM's task vectors (the workflow's
-- 'transfer_cosine' metrics, keys task, seed, spec, layer), seeds averaged; the models from the
-- run's model list (roles 'source' and 'target').
-- dropped first, so a changed column list replaces it (CREATE OR REPLACE cannot; no other view reads it)
DROP VIEW IF EXISTS report_llm_vlm_cosine;
CREATE VIEW report_llm_vlm_cosine AS
SELECT m.run_id,
       (SELECT e ->> 'name' FROM jsonb_array_elements(r.models) e WHERE e ->> 'role' = 'source' LIMIT 1) AS source_model,
       (SELECT e ->> 'name' FROM jsonb_array_elements(r.models) e
         WHERE coalesce(e ->> 'role', 'target') = 'target' LIMIT 1)                                AS target_model,
       m.keys ->> 'task' AS task, m.keys ->> 'spec' AS spec, (m.keys ->> 'layer')::int AS layer,
       avg(m.value) AS cosine, count(*) AS n_seeds
FROM metrics m
JOIN runs r ON r.id = m.run_id
WHERE m.name = 'transfer_cosine'
GROUP BY m.run_id, r.models, m.keys ->> 'task', m.keys ->> 'spec', (m.keys ->> 'layer')::int;
