-- Report: the three phase curves (one row per run, model, task, spec, modality, layer, probe).
CREATE OR REPLACE VIEW report_phases AS
SELECT run_id, model, task, spec, modality, layer, probe, token, probability, prompts
FROM phase_lens;

-- Report: the top decoded tokens per layer, in rank order, as one text per layer.
CREATE OR REPLACE VIEW report_phase_tokens AS
SELECT run_id, model, task, spec, modality, layer,
       string_agg(token, ' | ' ORDER BY rank) AS tokens
FROM phase_tokens
GROUP BY run_id, model, task, spec, modality, layer;

-- Report: where each probe peaks (highest mean probability, lowest layer on ties).
CREATE OR REPLACE VIEW report_phase_peaks AS
SELECT DISTINCT ON (run_id, model, task, spec, modality, probe)
       run_id, model, task, spec, modality, probe, layer, probability
FROM phase_lens
ORDER BY run_id, model, task, spec, modality, probe, probability DESC, layer ASC;
