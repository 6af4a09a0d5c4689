-- The additive intervention's inputs: 'query' vectors (a zero-shot query's residual stream at its
-- write position, one per query item and layer) and their per-(domain, query modality) mean, the
-- 'baseline' (task = the domain, parents = the query vectors it averages).
ALTER TABLE vectors DROP CONSTRAINT vectors_kind_check;
ALTER TABLE vectors ADD CONSTRAINT vectors_kind_check
    CHECK (kind IN ('prompt', 'mean', 'subset', 'ensemble', 'query', 'baseline'));
