-- What failed, in which run and stage, with the stored error and the item's key parts.
SELECT w.run_id, w.stage, w.id AS item, w.attempts, w.error, w.key_parts
FROM work_items w
WHERE w.status = 'failed'
ORDER BY w.run_id DESC, w.stage, w.id;
