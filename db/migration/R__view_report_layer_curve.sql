-- Report: val accuracy of the patched vector per layer, averaged over tasks (seeds first), per
-- (run, model, spec, modality, mode); chosen marks the layer best_layer picks.
CREATE OR REPLACE VIEW report_layer_curve AS
SELECT a.run_id, a.model, a.spec, a.modality, a.mode, a.layer,
       avg(a.accuracy) AS accuracy,
       count(*)        AS n_tasks,
       coalesce(bool_or(b.layer = a.layer), false) AS chosen
FROM accuracy a
LEFT JOIN best_layer b
       ON b.run_id = a.run_id AND b.model = a.model AND b.spec = a.spec AND b.modality = a.modality
      AND b.mode IS NOT DISTINCT FROM a.mode AND b.alpha IS NOT DISTINCT FROM a.alpha
WHERE a.condition = 'patch' AND a.split = 'val' AND a.layer IS NOT NULL AND a.alpha IS NULL
GROUP BY a.run_id, a.model, a.spec, a.modality, a.mode, a.layer;
