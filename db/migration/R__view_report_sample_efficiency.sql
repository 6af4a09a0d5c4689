-- Report: the sample-efficiency curve, from metrics named 'sample_efficiency' with keys
-- {"model", "modality", "vector": "examples" | "ensemble", "examples": n}: test accuracy of the
-- vector made from n examples (n = 0 only for the instruction alone).
CREATE OR REPLACE VIEW report_sample_efficiency AS
SELECT run_id, keys ->> 'model' AS model, keys ->> 'modality' AS modality, keys ->> 'vector' AS vector,
       (keys ->> 'examples')::int AS examples, value AS accuracy
FROM metrics
WHERE name = 'sample_efficiency';
