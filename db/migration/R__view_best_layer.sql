-- The layer chosen for patching: on val, accuracy averaged over seeds and then over tasks,
-- highest wins, the lowest layer on ties. One row per (run, model, spec, modality, mode, alpha).
CREATE OR REPLACE VIEW best_layer AS
SELECT DISTINCT ON (run_id, model, spec, modality, mode, alpha)
       run_id, model, spec, modality, mode, alpha, layer,
       val_accuracy, n_tasks
FROM (SELECT run_id, model, spec, modality, mode, alpha, layer,
             avg(accuracy) AS val_accuracy,
             count(*)      AS n_tasks
      FROM accuracy
      WHERE condition = 'patch' AND split = 'val' AND layer IS NOT NULL
      GROUP BY run_id, model, spec, modality, mode, alpha, layer) per_layer
ORDER BY run_id, model, spec, modality, mode, alpha, val_accuracy DESC, layer ASC;
