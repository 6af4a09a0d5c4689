-- Validation accuracy of patching by layer (averaged over seeds and tasks) for the latest run:
-- the curve the best layer is picked from.
SELECT model, spec, modality, layer, round(avg(accuracy)::numeric, 3) AS val_accuracy, count(*) AS tasks
FROM accuracy
WHERE run_id = (SELECT max(id) FROM runs) AND condition = 'patch' AND split = 'val'
GROUP BY model, spec, modality, layer
ORDER BY model, spec, modality, layer;
