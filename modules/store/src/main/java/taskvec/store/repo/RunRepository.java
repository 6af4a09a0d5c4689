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

/** Runs: create one, move it through its statuses, list them. */
public final class RunRepository {

    private static final String COLUMNS = "id, name, study::text, code_version, models::text, engine_versions::text,"
            + " device, dtype, status, started_at, finished_at, error";

    private final DataSource ds;

    public RunRepository(DataSource ds) {
        this.ds = ds;
    }

    /** Inserts a run with status running and returns its id. Bad JSON is an IllegalArgumentException naming the field. */
    public long create(NewRun run) {
        String sql = "INSERT INTO runs (name, study, code_version, models, engine_versions, device, dtype, status)"
                + " VALUES (?, ?::jsonb, ?, ?::jsonb, ?::jsonb, ?, ?, 'running') RETURNING id";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, run.name());
            ps.setString(2, run.studyJson());
            ps.setString(3, run.codeVersion());
            ps.setString(4, run.modelsJson() == null ? "[]" : run.modelsJson());
            ps.setString(5, run.engineVersionsJson() == null ? "{}" : run.engineVersionsJson());
            ps.setString(6, run.device());
            ps.setString(7, run.dtype());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            if ("22P02".equals(e.getSQLState())) {
                throw new IllegalArgumentException("run " + run.name() + ": study, models or engine versions is not JSON: "
                        + e.getMessage(), e);
            }
            throw Sql.fail("creating run " + run.name(), e);
        }
    }

    /** Sets the status (running again on resume; done or failed with finished_at and the error). */
    public void setStatus(long runId, Status status, String error) {
        String sql = "UPDATE runs SET status = ?, error = ?,"
                + " finished_at = CASE WHEN ? IN ('done', 'failed') THEN now() ELSE NULL END WHERE id = ?";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, status.db());
            ps.setString(2, error);
            ps.setString(3, status.db());
            ps.setLong(4, runId);
            if (ps.executeUpdate() != 1) throw new IllegalArgumentException("run " + runId + ": no such run");
        } catch (SQLException e) {
            throw Sql.fail("setting the status of run " + runId, e);
        }
    }

    public Optional<Run> find(long runId) {
        List<Run> runs = query("SELECT " + COLUMNS + " FROM runs WHERE id = ?", runId);
        return runs.stream().findFirst();
    }

    /** Every run, oldest first. */
    public List<Run> list() {
        return query("SELECT " + COLUMNS + " FROM runs ORDER BY id");
    }

    /** Runs that are running (workers join these). */
    public List<Run> running() {
        return query("SELECT " + COLUMNS + " FROM runs WHERE status = 'running' ORDER BY id");
    }

    /** The newest run that finished with status done ("latest" in the CLI): by finish time, not by id. */
    public Optional<Run> latestDone() {
        return query("SELECT " + COLUMNS + " FROM runs WHERE status = 'done' ORDER BY finished_at DESC, id DESC LIMIT 1").stream().findFirst();
    }

    /**
     * Runs that will never finish on their own: failed ones, and running ones nobody works on (no
     * item holds a live lease, and neither the run nor any of its items started or finished within
     * {@code quiet}). Oldest first.
     */
    public List<Run> abandonedOrFailed(java.time.Duration quiet) {
        return query("SELECT " + COLUMNS + " FROM runs r WHERE r.status = 'failed' OR (r.status = 'running'"
                + " AND r.started_at < now() - ?::interval"
                + " AND NOT EXISTS (SELECT 1 FROM work_items w WHERE w.run_id = r.id AND (w.lease_expires_at > now()"
                + "  OR w.started_at > now() - ?::interval OR w.finished_at > now() - ?::interval)))"
                + " ORDER BY r.id", interval(quiet), interval(quiet), interval(quiet));
    }

    private static String interval(java.time.Duration d) {
        return d.toMillis() + " milliseconds";
    }

    /**
     * Deletes runs and every row they hold (stages, work items, prompts, vectors, predictions,
     * metrics, analysis rows: all reference the run with ON DELETE CASCADE; reuse copied rows into
     * each run, so no other run holds them). Links from other runs' stages and items to these
     * ("reused from") are cleared. Returns the rows deleted per table, in one transaction.
     */
    public java.util.Map<String, Long> delete(List<Long> runIds) {
        String[] tables = {"runs", "stages", "work_items", "prompts", "vectors", "predictions", "metrics"};
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                java.util.Map<String, Long> counts = new java.util.LinkedHashMap<>();
                Long[] ids = runIds.toArray(Long[]::new);
                for (String t : tables) {
                    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + t + " WHERE "
                            + (t.equals("runs") ? "id" : "run_id") + " = ANY(?)")) {
                        ps.setArray(1, c.createArrayOf("bigint", ids));
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            counts.put(t, rs.getLong(1));
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM runs WHERE id = ANY(?)")) {
                    ps.setArray(1, c.createArrayOf("bigint", ids));
                    ps.executeUpdate();
                }
                c.commit();
                return counts;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw Sql.fail("deleting runs " + runIds, e);
        }
    }

    private List<Run> query(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            List<Run> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Run(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8), Status.of(rs.getString(9)),
                            rs.getObject(10, OffsetDateTime.class), rs.getObject(11, OffsetDateTime.class),
                            rs.getString(12)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw Sql.fail("reading runs", e);
        }
    }
}
