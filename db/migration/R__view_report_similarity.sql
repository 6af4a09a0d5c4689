-- Report: task-vector cosines at the map's layer (the middle layer the analysis chose), else at
-- the middle of the layers stored; one row per ordered pair of labels.
CREATE OR REPLACE VIEW report_similarity AS
WITH chosen AS (
    SELECT s.run_id,
           coalesce((SELECT min(m.layer) FROM embedding_map m WHERE m.run_id = s.run_id),
                    max(s.layer) / 2) AS layer
    FROM vector_similarity s GROUP BY s.run_id
)
SELECT s.run_id, s.layer,
       s.a_model, s.a_task, s.a_spec, s.a_modality,
       s.b_model, s.b_task, s.b_spec, s.b_modality, s.cosine
FROM vector_similarity s JOIN chosen c ON c.run_id = s.run_id AND c.layer = s.layer;

-- Report: per layer, the mean cosine between vectors of the same task (other specs or
-- modalities) and between vectors of different tasks: task vectors cluster by task when the first is higher.
CREATE OR REPLACE VIEW report_similarity_by_layer AS
SELECT run_id, layer,
       avg(cosine) FILTER (WHERE a_task = b_task)  AS same_task,
       avg(cosine) FILTER (WHERE a_task <> b_task) AS different_task
FROM vector_similarity
WHERE (a_model, a_task, a_spec, a_modality) <> (b_model, b_task, b_spec, b_modality)
GROUP BY run_id, layer;
