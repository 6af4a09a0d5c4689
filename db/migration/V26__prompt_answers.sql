-- A zero-shot query's answer: the item's label and the first token of it as the target model
-- would write it after the query (decoded token text), for the majority-class baseline (the
-- paper's "random" row: the most frequent first-token answer of a task, predicted for every item).
-- NULL for every other prompt.
ALTER TABLE prompts ADD COLUMN answer text;
ALTER TABLE prompts ADD COLUMN answer_token text;
