-- The paper's v1 numbers (test accuracy averaged over the six tasks, image queries) for the
-- models it reports, so a run of the same model shows them beside its own. hf is the hub id the
-- authors pinned; a run's model matches on the id or on the id's name part.
CREATE TABLE paper_numbers (
    hf           text             NOT NULL,
    label        text             NOT NULL,
    column_name  text             NOT NULL CHECK (column_name IN
                 ('no_context', 'text_prompt', 'text_patch', 'image_prompt', 'image_patch')),
    value        double precision NOT NULL,
    PRIMARY KEY (hf, column_name)
);

INSERT INTO paper_numbers (hf, label, column_name, value) VALUES
    ('llava-hf/llava-1.5-7b-hf',  'LLaVA-1.5-7B',   'no_context',   0.00),
    ('llava-hf/llava-1.5-7b-hf',  'LLaVA-1.5-7B',   'text_prompt',  0.18),
    ('llava-hf/llava-1.5-7b-hf',  'LLaVA-1.5-7B',   'text_patch',   0.32),
    ('TIGER-Lab/Mantis-8B-Fuyu',  'Mantis-Fuyu-8B', 'no_context',   0.00),
    ('TIGER-Lab/Mantis-8B-Fuyu',  'Mantis-Fuyu-8B', 'text_prompt',  0.09),
    ('TIGER-Lab/Mantis-8B-Fuyu',  'Mantis-Fuyu-8B', 'text_patch',   0.31),
    ('TIGER-Lab/Mantis-8B-Fuyu',  'Mantis-Fuyu-8B', 'image_prompt', 0.18),
    ('TIGER-Lab/Mantis-8B-Fuyu',  'Mantis-Fuyu-8B', 'image_patch',  0.20),
    ('HuggingFaceM4/idefics2-8b', 'Idefics2-8B',    'no_context',   0.01),
    ('HuggingFaceM4/idefics2-8b', 'Idefics2-8B',    'text_prompt',  0.18),
    ('HuggingFaceM4/idefics2-8b', 'Idefics2-8B',    'text_patch',   0.51),
    ('HuggingFaceM4/idefics2-8b', 'Idefics2-8B',    'image_prompt', 0.43),
    ('HuggingFaceM4/idefics2-8b', 'Idefics2-8B',    'image_patch',  0.31);
