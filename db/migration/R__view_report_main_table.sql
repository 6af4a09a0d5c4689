-- Report: the main table per task and on average (paper_main_table), one row per (run, model,
-- spec, modality, task), with the majority-class baseline beside it.
CREATE OR REPLACE VIEW report_main_table AS
SELECT run_id, model, spec, modality, task, no_context, prompt, patch, patch_layer, majority
FROM paper_main_table;

-- Report: test accuracy of every patched vector (examples, instruction, ensemble, the source
-- model's 'source:' vectors) at the layer val chose, averaged over tasks (seeds first); the
-- sample-efficiency subsets are in report_sample_efficiency.
CREATE OR REPLACE VIEW report_patch_by_vector AS
SELECT run_id, model, spec, modality, mode, alpha, layer, avg(accuracy) AS accuracy, count(*) AS n_tasks
FROM accuracy
WHERE split = 'test' AND condition = 'patch' AND spec NOT LIKE 'subset-r%'
GROUP BY run_id, model, spec, modality, mode, alpha, layer;

-- Report: the paper's layout, one row per (run, model): image queries, averaged over tasks; no
-- context, then text and image examples by prompt and by patch, then the base LLM's text-example
-- vectors patched in (LLM->VLM) and the mean LLM/VLM cosine at that layer, and the majority-class
-- baseline (the paper's "random" row); the paper's v1 number beside each where the model is one
-- the paper reports (NULL otherwise).
-- dropped first, so a changed column list replaces it (CREATE OR REPLACE cannot; no other view reads it)
DROP VIEW IF EXISTS report_paper_layout;
CREATE VIEW report_paper_layout AS
WITH avg AS (
    SELECT * FROM paper_main_table WHERE task = 'average' AND modality = 'image'
),
ours AS (
    SELECT run_id, model,
           avg(no_context)                                      AS no_context,
           max(prompt) FILTER (WHERE spec = 'text-examples')    AS text_prompt,
           max(patch)  FILTER (WHERE spec = 'text-examples')    AS text_patch,
           max(prompt) FILTER (WHERE spec = 'image-examples')   AS image_prompt,
           max(patch)  FILTER (WHERE spec = 'image-examples')   AS image_patch,
           avg(majority)                                        AS majority
    FROM avg GROUP BY run_id, model
),
llm AS (
    SELECT v.run_id, v.model, v.accuracy AS llm_patch, v.layer,
           (SELECT avg(m.value) FROM metrics m
             WHERE m.run_id = v.run_id AND m.name = 'transfer_cosine' AND m.keys ->> 'spec' = 'text-examples'
               AND (m.keys ->> 'layer')::int = v.layer) AS llm_cosine
    FROM report_patch_by_vector v
    WHERE v.spec = 'source:text-examples' AND v.modality = 'image' AND v.mode IS NOT DISTINCT FROM 'replace' AND v.alpha IS NULL
),
paper AS (
    SELECT hf, label,
           max(value) FILTER (WHERE column_name = 'no_context')   AS no_context,
           max(value) FILTER (WHERE column_name = 'text_prompt')  AS text_prompt,
           max(value) FILTER (WHERE column_name = 'text_patch')   AS text_patch,
           max(value) FILTER (WHERE column_name = 'image_prompt') AS image_prompt,
           max(value) FILTER (WHERE column_name = 'image_patch')  AS image_patch,
           max(value) FILTER (WHERE column_name = 'llm_patch')    AS llm_patch,
           max(value) FILTER (WHERE column_name = 'llm_cosine')   AS llm_cosine,
           max(value) FILTER (WHERE column_name = 'majority')     AS majority
    FROM paper_numbers GROUP BY hf, label
)
SELECT o.run_id, o.model, p.label AS paper_model,
       o.no_context,   p.no_context   AS paper_no_context,
       o.text_prompt,  p.text_prompt  AS paper_text_prompt,
       o.text_patch,   p.text_patch   AS paper_text_patch,
       o.image_prompt, p.image_prompt AS paper_image_prompt,
       o.image_patch,  p.image_patch  AS paper_image_patch,
       l.llm_patch,    p.llm_patch    AS paper_llm_patch,
       l.llm_cosine,   p.llm_cosine   AS paper_llm_cosine,
       o.majority,     p.majority     AS paper_majority
FROM ours o
LEFT JOIN llm l ON l.run_id = o.run_id AND l.model = o.model
LEFT JOIN paper p ON lower(o.model) = lower(p.hf)
                  OR lower(o.model) LIKE '%' || lower(split_part(p.hf, '/', 2)) || '%';
