-- Report: what produced a run: code version, device, dtype, engines, status, times, the error.
CREATE OR REPLACE VIEW report_provenance AS
SELECT id AS run_id, name, status, code_version, device, dtype, engine_versions::text AS engine_versions,
       started_at, finished_at,
       extract(epoch FROM (finished_at - started_at))::double precision AS seconds,
       error
FROM runs;

-- Report: every file of every model of a run, with its SHA-256.
CREATE OR REPLACE VIEW report_models AS
SELECT r.id AS run_id, m ->> 'name' AS model, m ->> 'revision' AS revision, f.key AS file, f.value AS sha256
FROM runs r
CROSS JOIN LATERAL jsonb_array_elements(r.models) m
CROSS JOIN LATERAL jsonb_each_text(coalesce(m -> 'files', '{}'::jsonb)) f;

-- Report: the study settings of a run, one row per top-level key.
CREATE OR REPLACE VIEW report_settings AS
SELECT r.id AS run_id, s.key AS setting, s.value::text AS value
FROM runs r
CROSS JOIN LATERAL jsonb_each(coalesce(r.study -> 'study', r.study)) s;
