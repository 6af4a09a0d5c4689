-- Report: the 2-D map of task vectors and context embeddings.
CREATE OR REPLACE VIEW report_map AS
SELECT run_id, layer, method, kind, model, task, spec, modality, item, x, y
FROM embedding_map;
