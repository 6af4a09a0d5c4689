package taskvec.store.repo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import taskvec.store.key.ContentKey;

/** Stages of a run, with the key computed before they run. */
public final class StageRepository {

    private static final String COLUMNS = "id, run_id, name, key, key_parts::text, status, attempts,"
            + " started_at, finished_at, error, reused_from";

    private final DataSource ds;

    public StageRepository(DataSource ds) {
        this.ds = ds;
    }

    /**
     * Records that a stage of a run starts with the given key: inserts it, or (resume) sets the
     * new key, status running and one more attempt on the existing row.
     */
    public Stage begin(long runId, String name, ContentKey key) {
        return upsert(runId, name, key, Status.RUNNING, null);
    }

    /** Records a stage as reused from a finished stage with the same key (of this or another run). */
    public Stage markReused(long runId, String name, ContentKey key, long fromStageId) {
        return upsert(runId, name, key, Status.REUSED, fromStageId);
    }

    /** Records a stage as pending (its items exist, nothing runs yet), keeping its key for explain. */
    public Stage plan(long runId, String name, ContentKey key) {
        return upsert(runId, name, key, Status.PENDING, null);
    }

    private Stage upsert(long runId, String name, ContentKey key, Status status, Long reusedFrom) {
        String sql = "INSERT INTO stages (run_id, name, key, key_parts, status, attempts, started_at, finished_at, reused_from)"
                + " VALUES (?, ?, ?, ?::jsonb, ?, ?, now(), CASE WHEN ? = 'reused' THEN now() END, ?)"
                + " ON CONFLICT (run_id, name) DO UPDATE SET key = EXCLUDED.key, key_parts = EXCLUDED.key_parts,"
                + " status = EXCLUDED.status, attempts = stages.attempts + EXCLUDED.attempts,"
                + " started_at = now(), finished_at = EXCLUDED.finished_at, error = NULL, reused_from = EXCLUDED.reused_from"
                + " RETURNING " + COLUMNS;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, runId);
            ps.setString(2, name);
            ps.setString(3, key.hash());
            ps.setString(4, key.canonicalJson());
            ps.setString(5, status.db());
            ps.setInt(6, status == Status.RUNNING ? 1 : 0);
            ps.setString(7, status.db());
            ps.setObject(8, reusedFrom);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return read(rs);
            }
        } catch (SQLException e) {
            throw Sql.fail("recording stage " + name + " of run " + runId, e);
        }
    }

    /** Ends a stage: done, or failed with the error (for example the list of failed items). */
    public void finish(long stageId, Status status, String error) {
        if (status != Status.DONE && status != Status.FAILED) {
            throw new IllegalArgumentException("a stage finishes done or failed, not " + status);
        }
        String sql = "UPDATE stages SET status = ?, error = ?, finished_at = now() WHERE id = ?";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, status.db());
            ps.setString(2, error);
            ps.setLong(3, stageId);
            if (ps.executeUpdate() != 1) throw new IllegalArgumentException("stage " + stageId + ": no such stage");
        } catch (SQLException e) {
            throw Sql.fail("finishing stage " + stageId, e);
        }
    }

    public Optional<Stage> find(long runId, String name) {
        return query("SELECT " + COLUMNS + " FROM stages WHERE run_id = ? AND name = ?", runId, name).stream().findFirst();
    }

    /** The stages of a run in the order they began. */
    public List<Stage> list(long runId) {
        return query("SELECT " + COLUMNS + " FROM stages WHERE run_id = ? ORDER BY id", runId);
    }

    /**
     * The most recent finished stage (done, or itself reused) with this name and key, in any run;
     * a candidate for reuse once its outputs are checked.
     */
    public Optional<Stage> findFinished(String name, String keyHash) {
        return query("SELECT " + COLUMNS + " FROM stages WHERE name = ? AND key = ? AND status IN ('done', 'reused')"
                + " ORDER BY finished_at DESC, id DESC LIMIT 1", name, keyHash).stream().findFirst();
    }

    /** The latest stage with this name in another run (for explain: "what changed since"). */
    public Optional<Stage> findLatestOther(long runId, String name) {
        return query("SELECT " + COLUMNS + " FROM stages WHERE name = ? AND run_id <> ? ORDER BY id DESC LIMIT 1",
                name, runId).stream().findFirst();
    }

    private List<Stage> query(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            List<Stage> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(read(rs));
            }
            return out;
        } catch (SQLException e) {
            throw Sql.fail("reading stages", e);
        }
    }

    private static Stage read(ResultSet rs) throws SQLException {
        ContentKey key = ContentKey.stored(rs.getString(4), rs.getString(5));
        long reused = rs.getLong(11);
        Long reusedFrom = rs.wasNull() ? null : reused;
        return new Stage(rs.getLong(1), rs.getLong(2), rs.getString(3), key, Status.of(rs.getString(6)), rs.getInt(7),
                rs.getObject(8, OffsetDateTime.class), rs.getObject(9, OffsetDateTime.class), rs.getString(10),
                reusedFrom);
    }
}
