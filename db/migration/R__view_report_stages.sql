-- Report: each stage of a run: status, attempts, timing, the run it was reused from, its work
-- items by status, and its error.
CREATE OR REPLACE VIEW report_stages AS
SELECT s.run_id, s.name AS stage, s.status, s.attempts, s.started_at, s.finished_at,
       extract(epoch FROM (s.finished_at - s.started_at))::double precision AS seconds,
       src.run_id AS reused_from_run,
       (SELECT count(*) FROM work_items w WHERE w.run_id = s.run_id AND w.stage = s.name AND w.status = 'done')    AS items_done,
       (SELECT count(*) FROM work_items w WHERE w.run_id = s.run_id AND w.stage = s.name AND w.status = 'reused')  AS items_reused,
       (SELECT count(*) FROM work_items w WHERE w.run_id = s.run_id AND w.stage = s.name AND w.status = 'failed')  AS items_failed,
       (SELECT count(*) FROM work_items w WHERE w.run_id = s.run_id AND w.stage = s.name
                                           AND w.status IN ('pending', 'running'))                              AS items_open,
       s.error
FROM stages s
LEFT JOIN stages src ON src.id = s.reused_from;

-- Report: every failed work item of a run, what it was and why it failed.
CREATE OR REPLACE VIEW report_failures AS
SELECT run_id, stage, key_parts::text AS item, attempts, error, finished_at
FROM work_items
WHERE status = 'failed';
