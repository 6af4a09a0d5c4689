package taskvec.store.repo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Predictions; one per unique key, written once (a redelivered item adds nothing). */
public final class PredictionRepository {

    private static final String COLUMNS = "run_id, model, task, seed, split, item_id, condition, spec, modality,"
            + " layer, mode, alpha, output, correct, vector_id";

    private final DataSource ds;

    public PredictionRepository(DataSource ds) {
        this.ds = ds;
    }

    /** Stores the predictions in one transaction; returns how many were new. */
    public int insertAll(List<Prediction> predictions) {
        String sql = "INSERT INTO predictions (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            c.setAutoCommit(false);
            for (Prediction p : predictions) {
                ps.setLong(1, p.runId());
                ps.setString(2, p.model());
                ps.setString(3, p.task());
                ps.setInt(4, p.seed());
                ps.setString(5, p.split());
                ps.setString(6, p.itemId());
                ps.setString(7, p.condition());
                ps.setString(8, p.spec());
                ps.setString(9, p.modality());
                ps.setObject(10, p.layer(), Types.INTEGER);
                ps.setString(11, p.mode());
                ps.setObject(12, p.alpha(), Types.REAL);
                ps.setString(13, p.output());
                ps.setBoolean(14, p.correct());
                ps.setObject(15, p.vectorId(), Types.BIGINT);
                ps.addBatch();
            }
            int added = 0;
            for (int n : ps.executeBatch()) added += Math.max(n, 0);
            c.commit();
            return added;
        } catch (SQLException e) {
            throw Sql.fail("storing predictions", e);
        }
    }

    /** The predictions of a run for one (model, task, condition, split), in a stable order. */
    public List<Prediction> list(long runId, String model, String task, String condition, String split) {
        String sql = "SELECT " + COLUMNS + " FROM predictions WHERE run_id = ? AND model = ? AND task = ?"
                + " AND condition = ? AND split = ? ORDER BY seed, spec NULLS FIRST, modality, layer NULLS FIRST, item_id, id";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, runId);
            ps.setString(2, model);
            ps.setString(3, task);
            ps.setString(4, condition);
            ps.setString(5, split);
            List<Prediction> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long vector = rs.getLong(15);
                    Long vectorId = rs.wasNull() ? null : vector;
                    out.add(new Prediction(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), (Integer) rs.getObject(10),
                            rs.getString(11), (Float) rs.getObject(12), rs.getString(13), rs.getBoolean(14), vectorId));
                }
            }
            return out;
        } catch (SQLException e) {
            throw Sql.fail("reading predictions", e);
        }
    }

    public int count(long runId) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM predictions WHERE run_id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw Sql.fail("counting predictions", e);
        }
    }
}
