-- Accuracy per seed, then per (run, model, task, condition, spec, modality, layer, mode, alpha,
-- split) with seeds averaged (each seed counts once, whatever its number of items).
CREATE OR REPLACE VIEW accuracy_by_seed AS
SELECT run_id, model, task, condition, spec, modality, layer, mode, alpha, split, seed,
       count(*)                            AS n,
       count(*) FILTER (WHERE correct)     AS n_correct,
       avg(correct::int)::double precision AS accuracy
FROM predictions
GROUP BY run_id, model, task, condition, spec, modality, layer, mode, alpha, split, seed;

CREATE OR REPLACE VIEW accuracy AS
SELECT run_id, model, task, condition, spec, modality, layer, mode, alpha, split,
       count(*)               AS n_seeds,
       sum(n)                 AS n,
       avg(accuracy)          AS accuracy,
       coalesce(stddev_samp(accuracy), 0) AS accuracy_sd
FROM accuracy_by_seed
GROUP BY run_id, model, task, condition, spec, modality, layer, mode, alpha, split;
