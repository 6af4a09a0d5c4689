-- The paper's majority-class baseline (its "random" row, v1): 0.14, the most frequent first-token
-- answer per task on test, averaged over the six tasks; the same data for every model, so it
-- stands beside each model the paper reports.
ALTER TABLE paper_numbers DROP CONSTRAINT paper_numbers_column_name_check;
ALTER TABLE paper_numbers ADD CONSTRAINT paper_numbers_column_name_check CHECK (column_name IN
    ('no_context', 'text_prompt', 'text_patch', 'image_prompt', 'image_patch', 'llm_patch', 'llm_cosine', 'majority'));

INSERT INTO paper_numbers (hf, label, column_name, value) VALUES
    ('llava-hf/llava-1.5-7b-hf',  'LLaVA-1.5-7B',   'majority', 0.14),
    ('TIGER-Lab/Mantis-8B-Fuyu',  'Mantis-Fuyu-8B', 'majority', 0.14),
    ('HuggingFaceM4/idefics2-8b', 'Idefics2-8B',    'majority', 0.14);
