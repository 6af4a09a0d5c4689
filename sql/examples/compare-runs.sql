-- Reproducibility: pairs of runs whose vectors and predictions are identical (bit for bit).
SELECT a.run_id AS run_a, b.run_id AS run_b,
       a.vectors_sha256 = b.vectors_sha256         AS same_vectors,
       a.predictions_sha256 = b.predictions_sha256 AS same_predictions
FROM run_digest a
JOIN run_digest b ON a.run_id < b.run_id
ORDER BY a.run_id, b.run_id;
