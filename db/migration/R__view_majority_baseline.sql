-- The majority-class baseline (the paper's "random" row): per (run, task), the most frequent
-- first-token answer over the task's test items (ties: the first in text order), predicted for
-- every test item and scored with the paper's rule (both stripped strings non-empty, one starts
-- with the other). Items are counted once whatever the number of query modalities.
CREATE OR REPLACE VIEW majority_baseline AS
WITH answers AS (
    SELECT DISTINCT run_id, task, item_id, answer, answer_token
    FROM prompts
    WHERE spec = 'query' AND split = 'test' AND answer IS NOT NULL
),
majority AS (
    SELECT DISTINCT ON (run_id, task) run_id, task, answer_token AS majority_token
    FROM (SELECT run_id, task, answer_token, count(*) AS n FROM answers GROUP BY run_id, task, answer_token) c
    ORDER BY run_id, task, n DESC, answer_token
)
SELECT m.run_id, m.task, m.majority_token,
       count(*) AS n,
       avg((btrim(m.majority_token) <> '' AND btrim(a.answer) <> ''
            AND (starts_with(btrim(m.majority_token), btrim(a.answer))
                 OR starts_with(btrim(a.answer), btrim(m.majority_token))))::int)::double precision AS accuracy
FROM majority m
JOIN answers a ON a.run_id = m.run_id AND a.task = m.task
GROUP BY m.run_id, m.task, m.majority_token;
