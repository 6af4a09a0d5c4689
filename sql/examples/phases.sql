-- The three phases of the latest run: per task and specification, the layer where the input token,
-- the task word and the answer peak under the logit lens, and the tokens decoded at that layer.
SELECT k.model, k.task, k.spec, k.probe, k.layer, round(k.probability::numeric, 4) AS probability, t.tokens
FROM report_phase_peaks k
LEFT JOIN report_phase_tokens t
       ON t.run_id = k.run_id AND t.model = k.model AND t.task = k.task AND t.spec = k.spec
      AND t.modality = k.modality AND t.layer = k.layer
WHERE k.run_id = (SELECT max(id) FROM runs)
ORDER BY k.model, k.task, k.spec, k.probe;
