package taskvec.store.repo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import taskvec.store.key.ContentKey;

/**
 * Work items, claimed by any number of processes. A claim is one statement: it picks a pending
 * item (or a running one whose lease ran out) with {@code FOR UPDATE SKIP LOCKED}, marks it
 * running with a fresh token and lease, and returns it -- so the row is owned by the claim token,
 * not by a transaction that must stay open while the work runs. Completing or failing an item
 * must present its token: a worker whose lease expired and whose item was claimed again by
 * someone else cannot complete it.
 */
public final class WorkItemRepository {

    private static final String COLUMNS = "id, run_id, stage, item_key, key_parts::text, status, attempts, max_attempts,"
            + " lease_expires_at, claim_token, claimed_by, error, reused_from, started_at, finished_at";

    private static final String CLAIM = "UPDATE work_items SET status = 'running', claim_token = ?, claimed_by = ?,"
            + " lease_expires_at = now() + make_interval(secs => ?), attempts = attempts + 1,"
            + " started_at = now(), finished_at = NULL"
            + " WHERE id = (SELECT w.id FROM work_items w %s"
            + "   WHERE %s (w.status = 'pending' OR (w.status = 'running' AND w.lease_expires_at < now()))"
            + "   ORDER BY w.id FOR UPDATE OF w SKIP LOCKED LIMIT 1)"
            + " RETURNING " + COLUMNS;

    private final DataSource ds;

    public WorkItemRepository(DataSource ds) {
        this.ds = ds;
    }

    /**
     * Adds the items of a stage (the stage row must exist); items already there are left as they
     * are. Returns how many were new.
     */
    public int addAll(long runId, String stage, Collection<ContentKey> keys, int maxAttempts) {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        String sql = "INSERT INTO work_items (run_id, stage, item_key, key_parts, max_attempts) VALUES (?, ?, ?, ?::jsonb, ?)"
                + " ON CONFLICT (run_id, stage, item_key) DO NOTHING";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            c.setAutoCommit(false);
            for (ContentKey key : keys) {
                ps.setLong(1, runId);
                ps.setString(2, stage);
                ps.setString(3, key.hash());
                ps.setString(4, key.canonicalJson());
                ps.setInt(5, maxAttempts);
                ps.addBatch();
            }
            int added = 0;
            for (int n : ps.executeBatch()) added += Math.max(n, 0);
            c.commit();
            return added;
        } catch (SQLException e) {
            throw Sql.fail("adding work items to stage " + stage + " of run " + runId, e);
        }
    }

    /** "host:pid", what {@code claimed_by} records by default so status can say who holds an item. */
    public static String defaultWorkerName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        return host + ":" + ProcessHandle.current().pid();
    }

    /** Claims one item of a stage of a run, or nothing if none is claimable now. */
    public Optional<WorkItem> claim(long runId, String stage, String claimedBy, Duration lease) {
        return claim(String.format(CLAIM, "", "w.run_id = ? AND w.stage = ? AND"), claimedBy, lease, runId, stage);
    }

    /** Claims one item of any running run (what a worker does). */
    public Optional<WorkItem> claimAny(String claimedBy, Duration lease) {
        return claimAny(claimedBy, lease, List.of());
    }

    /** Claims one item of any running run but those given (runs this worker cannot serve). */
    public Optional<WorkItem> claimAny(String claimedBy, Duration lease, Collection<Long> exceptRuns) {
        return claim(String.format(CLAIM, "JOIN runs r ON r.id = w.run_id", "r.status = 'running' AND NOT (r.id = ANY(?)) AND"),
                claimedBy, lease, (Object) exceptRuns.toArray(new Long[0]));
    }

    /**
     * Bounded retries hold for crashes too: an item whose lease ran out on its last allowed attempt
     * (its worker died or hung every time) is marked failed instead of being claimed again.
     */
    private static final String FAIL_EXHAUSTED = "UPDATE work_items SET status = 'failed', finished_at = now(),"
            + " error = coalesce(error || '; ', '') || 'lease expired on attempt ' || attempts || ' of ' || max_attempts"
            + " || ' (claimed by ' || coalesce(claimed_by, '?') || ')'"
            + " WHERE status = 'running' AND lease_expires_at < now() AND attempts >= max_attempts";

    private Optional<WorkItem> claim(String sql, String claimedBy, Duration lease, Object... where) {
        UUID token = UUID.randomUUID();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            try (PreparedStatement exhausted = c.prepareStatement(FAIL_EXHAUSTED)) {
                exhausted.executeUpdate();
            }
            ps.setObject(1, token);
            ps.setString(2, claimedBy);
            ps.setDouble(3, lease.toMillis() / 1000.0);
            for (int i = 0; i < where.length; i++) ps.setObject(4 + i, where[i]);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw Sql.fail("claiming a work item", e);
        }
    }

    /** Extends the lease of a claimed item (a heartbeat for long items); false if the claim is no longer ours. */
    public boolean extendLease(long itemId, UUID token, Duration lease) {
        return update("UPDATE work_items SET lease_expires_at = now() + make_interval(secs => ?)"
                + " WHERE id = ? AND claim_token = ? AND status = 'running'", lease.toMillis() / 1000.0, itemId, token) == 1;
    }

    /** Marks a claimed item done; false (and nothing changes) if the token is not the item's current claim. */
    public boolean complete(long itemId, UUID token) {
        return update("UPDATE work_items SET status = 'done', finished_at = now(), lease_expires_at = NULL, error = NULL"
                + " WHERE id = ? AND claim_token = ? AND status = 'running'", itemId, token) == 1;
    }

    /**
     * Records a failure of a claimed item: back to pending while attempts remain, else failed
     * with the error. Returns the new status, or empty if the token is not the current claim.
     */
    public Optional<Status> fail(long itemId, UUID token, String error) {
        String sql = "UPDATE work_items SET error = ?, lease_expires_at = NULL, finished_at = now(),"
                + " status = CASE WHEN attempts < max_attempts THEN 'pending' ELSE 'failed' END"
                + " WHERE id = ? AND claim_token = ? AND status = 'running' RETURNING status";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, error);
            ps.setLong(2, itemId);
            ps.setObject(3, token);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Status.of(rs.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw Sql.fail("failing work item " + itemId, e);
        }
    }

    /**
     * Gives back every item this process holds (it is being stopped: SIGTERM, Ctrl-C): pending
     * again at once, the attempt not counted, so the run goes on without waiting out the lease.
     */
    public int releaseAll(String claimedBy) {
        return update("UPDATE work_items SET status = 'pending', attempts = greatest(attempts - 1, 0), claim_token = NULL,"
                + " lease_expires_at = NULL, error = 'released: ' || claimed_by || ' was stopped'"
                + " WHERE claimed_by = ? AND status = 'running'", claimedBy);
    }

    /**
     * Gives back one claimed item (its claimer cannot serve its run): pending again at once, the
     * attempt not counted. False when the claim had already ended.
     */
    public boolean giveBack(long itemId, UUID token) {
        return update("UPDATE work_items SET status = 'pending', attempts = greatest(attempts - 1, 0), claim_token = NULL,"
                + " claimed_by = NULL, lease_expires_at = NULL WHERE id = ? AND claim_token = ? AND status = 'running'",
                itemId, token) == 1;
    }

    /** Marks a pending item reused from a finished item with the same key (of this or another run). */
    public boolean markReused(long itemId, long fromItemId) {
        return update("UPDATE work_items SET status = 'reused', reused_from = ?, finished_at = now()"
                + " WHERE id = ? AND status = 'pending'", fromItemId, itemId) == 1;
    }

    /** The most recent finished item of this stage with this key, in any run. */
    public Optional<WorkItem> findFinished(String stage, String itemKey) {
        return query("SELECT " + COLUMNS + " FROM work_items WHERE stage = ? AND item_key = ? AND status IN ('done', 'reused')"
                + " ORDER BY finished_at DESC, id DESC LIMIT 1", stage, itemKey).stream().findFirst();
    }

    /**
     * For resume: failed items of a run (and, with {@code includeRunning}, running ones -- only when
     * no other worker is still on them) go back to pending with their attempts reset. A null stage
     * means every stage. Returns how many were requeued.
     */
    public int requeue(long runId, String stage, boolean includeRunning) {
        String statuses = includeRunning ? "('failed', 'running')" : "('failed')";
        String sql = "UPDATE work_items SET status = 'pending', attempts = 0, claim_token = NULL, claimed_by = NULL,"
                + " lease_expires_at = NULL WHERE run_id = ? AND status IN " + statuses
                + (stage == null ? "" : " AND stage = ?");
        return stage == null ? update(sql, runId) : update(sql, runId, stage);
    }

    /** Unfinished (pending or failed) items of a stage whose keys are not in {@code keep} go (their inputs changed); returns how many. */
    public int dropUnfinished(long runId, String stage, Collection<String> keep) {
        String sql = "DELETE FROM work_items WHERE run_id = ? AND stage = ? AND status IN ('pending', 'failed')"
                + " AND NOT (item_key = ANY(?))";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, runId);
            ps.setString(2, stage);
            ps.setArray(3, c.createArrayOf("text", keep.toArray()));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw Sql.fail("dropping stale " + stage + " items of run " + runId, e);
        }
    }

    /** Running items whose claimers are gone (killed processes) go back to pending; returns how many. */
    public int requeueRunning(Collection<Long> itemIds) {
        if (itemIds.isEmpty()) return 0;
        String sql = "UPDATE work_items SET status = 'pending', claim_token = NULL, lease_expires_at = NULL"
                + " WHERE status = 'running' AND id = ANY(?)";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("bigint", itemIds.toArray()));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw Sql.fail("requeueing items of killed processes", e);
        }
    }

    /** A pending item fails at once, without spending its remaining attempts (its inputs are missing); true if it did. */
    public boolean failAtOnce(long itemId, String error) {
        return update("UPDATE work_items SET status = 'failed', error = ? WHERE id = ? AND status = 'pending'", error, itemId) == 1;
    }

    public Optional<WorkItem> find(long itemId) {
        return query("SELECT " + COLUMNS + " FROM work_items WHERE id = ?", itemId).stream().findFirst();
    }

    /** The items of a stage of a run, in the order they were added. */
    public List<WorkItem> list(long runId, String stage) {
        return query("SELECT " + COLUMNS + " FROM work_items WHERE run_id = ? AND stage = ? ORDER BY id", runId, stage);
    }

    /** The failed items of a run (every stage), for the run's error and for status. */
    public List<WorkItem> failed(long runId) {
        return query("SELECT " + COLUMNS + " FROM work_items WHERE run_id = ? AND status = 'failed' ORDER BY id", runId);
    }

    /** How many items of a stage are in each status (every status present, zeros included). */
    public Map<Status, Integer> counts(long runId, String stage) {
        Map<Status, Integer> counts = new EnumMap<>(Status.class);
        for (Status s : Status.values()) counts.put(s, 0);
        String sql = "SELECT status, count(*) FROM work_items WHERE run_id = ? AND stage = ? GROUP BY status";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, runId);
            ps.setString(2, stage);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) counts.put(Status.of(rs.getString(1)), rs.getInt(2));
            }
            return counts;
        } catch (SQLException e) {
            throw Sql.fail("counting work items", e);
        }
    }

    private int update(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw Sql.fail("updating work items", e);
        }
    }

    private List<WorkItem> query(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            List<WorkItem> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(read(rs));
            }
            return out;
        } catch (SQLException e) {
            throw Sql.fail("reading work items", e);
        }
    }

    private static WorkItem read(ResultSet rs) throws SQLException {
        long reused = rs.getLong(13);
        Long reusedFrom = rs.wasNull() ? null : reused;
        return new WorkItem(rs.getLong(1), rs.getLong(2), rs.getString(3), ContentKey.stored(rs.getString(4), rs.getString(5)),
                Status.of(rs.getString(6)), rs.getInt(7), rs.getInt(8), rs.getObject(9, OffsetDateTime.class),
                rs.getObject(10, UUID.class), rs.getString(11), rs.getString(12), reusedFrom,
                rs.getObject(14, OffsetDateTime.class), rs.getObject(15, OffsetDateTime.class));
    }
}
