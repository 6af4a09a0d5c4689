-- Report: the paper's v1 reference numbers (paper_numbers), one row per (run, paper model, column),
-- so a run of any model (the embedded organism included) can quote them beside its own: the
-- closing note's LLM->VLM patch and cosine and the majority-class baseline.
CREATE OR REPLACE VIEW report_paper_reference AS
SELECT r.id AS run_id, p.label AS paper_model, p.column_name, p.value
FROM runs r
CROSS JOIN paper_numbers p;
