-- The paper's LLM->VLM numbers (v1): the base LLM's text-example vectors patched into the VLM's
-- image queries (Vicuna->LLaVA 0.37, Mistral->Idefics2 0.52) and the cosine of LLM and VLM vectors
-- (0.95, 0.89).
ALTER TABLE paper_numbers DROP CONSTRAINT paper_numbers_column_name_check;
ALTER TABLE paper_numbers ADD CONSTRAINT paper_numbers_column_name_check CHECK (column_name IN
    ('no_context', 'text_prompt', 'text_patch', 'image_prompt', 'image_patch', 'llm_patch', 'llm_cosine'));

INSERT INTO paper_numbers (hf, label, column_name, value) VALUES
    ('llava-hf/llava-1.5-7b-hf',  'LLaVA-1.5-7B', 'llm_patch',  0.37),
    ('llava-hf/llava-1.5-7b-hf',  'LLaVA-1.5-7B', 'llm_cosine', 0.95),
    ('HuggingFaceM4/idefics2-8b', 'Idefics2-8B',  'llm_patch',  0.52),
    ('HuggingFaceM4/idefics2-8b', 'Idefics2-8B',  'llm_cosine', 0.89);
