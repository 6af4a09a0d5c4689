-- Every run, newest first, with how far its stages got.
SELECT r.id AS run_id, r.name, r.status, r.started_at, r.finished_at,
       count(s.*) FILTER (WHERE s.status IN ('done', 'reused')) AS stages_finished,
       count(s.*)                                               AS stages
FROM runs r
LEFT JOIN stages s ON s.run_id = r.id
GROUP BY r.id
ORDER BY r.id DESC;
