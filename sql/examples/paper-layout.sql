-- The main table in the paper's layout for the latest run (image queries, average over tasks), with
-- the paper's v1 numbers beside ours where the model is one the paper reports (LLM->VLM: the base
-- LLM's text-example vectors patched into the VLM, and the LLM/VLM cosine at that layer).
SELECT model, paper_model,
       round(no_context::numeric, 3)   AS no_context,   paper_no_context,
       round(text_prompt::numeric, 3)  AS text_prompt,  paper_text_prompt,
       round(text_patch::numeric, 3)   AS text_patch,   paper_text_patch,
       round(image_prompt::numeric, 3) AS image_prompt, paper_image_prompt,
       round(image_patch::numeric, 3)  AS image_patch,  paper_image_patch,
       round(llm_patch::numeric, 3)    AS llm_patch,    paper_llm_patch,
       round(llm_cosine::numeric, 3)   AS llm_cosine,   paper_llm_cosine
FROM report_paper_layout
WHERE run_id = (SELECT max(id) FROM runs)
ORDER BY model;
