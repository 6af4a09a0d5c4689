-- Report: the main table per task and on average (paper_main_table), one row per (run, model,
-- spec, modality, task).
CREATE OR REPLACE VIEW report_main_table AS
SELECT run_id, model, spec, modality, task, no_context, prompt, patch, patch_layer
FROM paper_main_table;

-- Report: the paper's layout, one row per (run, model): image queries, averaged over tasks; no
-- context, then text and image examples by prompt and by patch; the paper's v1 number beside
-- each where the model is one the paper reports (NULL otherwise).
CREATE OR REPLACE VIEW report_paper_layout AS
WITH avg AS (
    SELECT * FROM paper_main_table WHERE task = 'average' AND modality = 'image'
),
ours AS (
    SELECT run_id, model,
           avg(no_context)                                      AS no_context,
           max(prompt) FILTER (WHERE spec = 'text-examples')    AS text_prompt,
           max(patch)  FILTER (WHERE spec = 'text-examples')    AS text_patch,
           max(prompt) FILTER (WHERE spec = 'image-examples')   AS image_prompt,
           max(patch)  FILTER (WHERE spec = 'image-examples')   AS image_patch
    FROM avg GROUP BY run_id, model
),
paper AS (
    SELECT hf, label,
           max(value) FILTER (WHERE column_name = 'no_context')   AS no_context,
           max(value) FILTER (WHERE column_name = 'text_prompt')  AS text_prompt,
           max(value) FILTER (WHERE column_name = 'text_patch')   AS text_patch,
           max(value) FILTER (WHERE column_name = 'image_prompt') AS image_prompt,
           max(value) FILTER (WHERE column_name = 'image_patch')  AS image_patch
    FROM paper_numbers GROUP BY hf, label
)
SELECT o.run_id, o.model, p.label AS paper_model,
       o.no_context,   p.no_context   AS paper_no_context,
       o.text_prompt,  p.text_prompt  AS paper_text_prompt,
       o.text_patch,   p.text_patch   AS paper_text_patch,
       o.image_prompt, p.image_prompt AS paper_image_prompt,
       o.image_patch,  p.image_patch  AS paper_image_patch
FROM ours o
LEFT JOIN paper p ON lower(o.model) = lower(p.hf)
                  OR lower(o.model) LIKE '%' || lower(split_part(p.hf, '/', 2)) || '%';
