-- Report: the sample-efficiency curve: test accuracy of the vector made from n = 5r examples (the
-- workflow's 'subset-r{r}:text-examples' and, with the instruction averaged in,
-- 'subset-r{r}:ensemble' vectors), and of the instruction alone as the ensemble curve's n = 0;
-- averaged over tasks (seeds first), per query modality and mode.
-- dropped first, so a changed column list replaces it (CREATE OR REPLACE cannot; no other view reads it)
DROP VIEW IF EXISTS report_sample_efficiency;
CREATE VIEW report_sample_efficiency AS
SELECT run_id, model, modality, mode,
       CASE WHEN spec LIKE '%:ensemble' THEN 'ensemble' ELSE 'examples' END AS vector,
       5 * substring(spec FROM '^subset-r([0-9]+):')::int AS examples,
       avg(accuracy) AS accuracy, count(*) AS n_tasks
FROM accuracy
WHERE split = 'test' AND condition = 'patch' AND spec LIKE 'subset-r%' AND alpha IS NULL
GROUP BY run_id, model, modality, mode, spec
UNION ALL
SELECT run_id, model, modality, mode, 'ensemble', 0, avg(accuracy), count(*)
FROM accuracy
WHERE split = 'test' AND condition = 'patch' AND spec = 'instruction' AND alpha IS NULL
  AND EXISTS (SELECT 1 FROM predictions s WHERE s.run_id = accuracy.run_id AND s.spec LIKE 'subset-r%:ensemble')
GROUP BY run_id, model, modality, mode;
