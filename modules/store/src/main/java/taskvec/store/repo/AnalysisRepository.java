package taskvec.store.repo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * The analyze stage's tables: the logit lens of the three phases (phase_lens, phase_tokens),
 * cosines between task vectors (vector_similarity), the 2-D map (embedding_map) and task conflict
 * (task_conflict). Each write is one transaction; a row already stored is kept.
 */
public final class AnalysisRepository {

    /** One probe's probability at one layer, averaged over prompts; token is null for the answer probe. */
    public record PhaseLensRow(String task, String spec, String modality, int layer, String probe, String token,
                               double probability, int prompts) {}

    /** One of the top decoded tokens at a layer. */
    public record PhaseTokenRow(String task, String spec, String modality, int layer, int rank, int tokenId, String token,
                                double share, double meanProbability) {}

    /** One side of a similarity pair. */
    public record VectorRef(String model, String task, String spec, String modality) {}

    public record SimilarityRow(int layer, VectorRef a, VectorRef b, double cosine) {}

    /** A point of the map; kind is task_vector or context. */
    public record MapPoint(int layer, String kind, String task, String spec, String modality, String item, double x, double y) {}

    /** Shares of answers of the prompted task, the patched task, and neither. */
    public record ConflictRow(String promptedTask, String patchedTask, String spec, String modality, int layer, int n,
                              double patched, double prompted, double neither) {}

    private final DataSource ds;

    public AnalysisRepository(DataSource ds) {
        this.ds = ds;
    }

    public void insertPhases(long runId, String model, List<PhaseLensRow> lens, List<PhaseTokenRow> tokens) {
        try (Connection c = ds.getConnection();
             PreparedStatement pl = c.prepareStatement("INSERT INTO phase_lens (run_id, model, task, spec, modality, layer, probe,"
                     + " token, probability, prompts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
             PreparedStatement pt = c.prepareStatement("INSERT INTO phase_tokens (run_id, model, task, spec, modality, layer, rank,"
                     + " token_id, token, share, mean_probability) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            c.setAutoCommit(false);
            for (PhaseLensRow r : lens) {
                bind(pl, runId, model, r.task(), r.spec(), r.modality(), r.layer(), r.probe(), r.token(), r.probability(), r.prompts());
                pl.addBatch();
            }
            for (PhaseTokenRow r : tokens) {
                bind(pt, runId, model, r.task(), r.spec(), r.modality(), r.layer(), r.rank(), r.tokenId(), r.token(), r.share(),
                        r.meanProbability());
                pt.addBatch();
            }
            pl.executeBatch();
            pt.executeBatch();
            c.commit();
        } catch (SQLException e) {
            throw Sql.fail("storing the phases of run " + runId, e);
        }
    }

    /** Model names are the rows' own: a pair may name the source model (LLM->VLM) beside the target. */
    public void insertSimilarity(long runId, List<SimilarityRow> rows) {
        batch("storing the vector similarity of run " + runId, "INSERT INTO vector_similarity (run_id, layer, a_model, a_task, a_spec,"
                + " a_modality, b_model, b_task, b_spec, b_modality, cosine) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                rows, (ps, r) -> bind(ps, runId, r.layer(), r.a().model(), r.a().task(), r.a().spec(), r.a().modality(), r.b().model(),
                        r.b().task(), r.b().spec(), r.b().modality(), r.cosine()));
    }

    public void insertMap(long runId, String model, List<MapPoint> points) {
        batch("storing the map of run " + runId, "INSERT INTO embedding_map (run_id, layer, method, kind, model, task, spec, modality,"
                + " item, x, y) VALUES (?, ?, 'pca', ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                points, (ps, p) -> bind(ps, runId, p.layer(), p.kind(), model, p.task(), p.spec(), p.modality(), p.item(), p.x(), p.y()));
    }

    public void insertConflict(long runId, String model, List<ConflictRow> rows) {
        batch("storing the task conflict of run " + runId, "INSERT INTO task_conflict (run_id, model, prompted_task, patched_task, spec,"
                + " modality, layer, n, patched, prompted, neither) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                rows, (ps, r) -> bind(ps, runId, model, r.promptedTask(), r.patchedTask(), r.spec(), r.modality(), r.layer(), r.n(),
                        r.patched(), r.prompted(), r.neither()));
    }

    private interface Binder<T> {
        void bind(PreparedStatement ps, T row) throws SQLException;
    }

    private <T> void batch(String doing, String sql, List<T> rows, Binder<T> binder) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            c.setAutoCommit(false);
            for (T row : rows) {
                binder.bind(ps, row);
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        } catch (SQLException e) {
            throw Sql.fail(doing, e);
        }
    }

    private static void bind(PreparedStatement ps, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) ps.setNull(i + 1, java.sql.Types.VARCHAR); // only text columns are nullable here
            else ps.setObject(i + 1, values[i]);
        }
    }
}
