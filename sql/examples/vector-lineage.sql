-- Where the vectors of the latest run came from: every mean or ensemble with its parents.
SELECT v.id, v.model, v.task, v.spec, v.seed, v.layer, v.kind, v.variant,
       count(p.parent_id) AS parents, left(v.sha256, 12) AS sha256
FROM vectors v
LEFT JOIN vector_parents p ON p.vector_id = v.id
WHERE v.run_id = (SELECT max(id) FROM runs) AND v.kind <> 'prompt'
GROUP BY v.id
ORDER BY v.model, v.task, v.spec, v.seed, v.layer, v.kind, v.variant;
