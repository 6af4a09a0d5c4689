-- One hash of all of a run's vectors and one of all of its predictions, over their content in a
-- canonical order (no ids, no timestamps), so two runs compare for reproducibility in one query:
--   SELECT a.vectors_sha256 = b.vectors_sha256 FROM run_digest a, run_digest b WHERE ...
-- Rows are rendered as JSON arrays (NULL stays distinct from '') and ordered bytewise (COLLATE "C").
CREATE OR REPLACE VIEW run_digest AS
SELECT r.id AS run_id,
       encode(sha256(convert_to(coalesce(
           (SELECT string_agg(row_text, E'\n' ORDER BY row_text COLLATE "C")
            FROM (SELECT jsonb_build_array(v.model, v.task, v.spec, v.seed, v.layer, v.kind,
                                           v.variant, v.dim, v.sha256)::text AS row_text
                  FROM vectors v WHERE v.run_id = r.id) vr), ''), 'UTF8')), 'hex') AS vectors_sha256,
       encode(sha256(convert_to(coalesce(
           (SELECT string_agg(row_text, E'\n' ORDER BY row_text COLLATE "C")
            FROM (SELECT jsonb_build_array(p.model, p.task, p.seed, p.split, p.item_id, p.condition,
                                           p.spec, p.modality, p.layer, p.mode, p.alpha,
                                           p.output, p.correct)::text AS row_text
                  FROM predictions p WHERE p.run_id = r.id) pr), ''), 'UTF8')), 'hex') AS predictions_sha256
FROM runs r;
