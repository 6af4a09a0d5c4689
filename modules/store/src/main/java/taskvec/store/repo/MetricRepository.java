package taskvec.store.repo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import javax.sql.DataSource;

/** Named numbers of a run keyed by JSON (for example {"task":"antonym","layer":12}); written once. */
public final class MetricRepository {

    private final DataSource ds;

    public MetricRepository(DataSource ds) {
        this.ds = ds;
    }

    /** Stores a metric; false if one with the same (run, name, keys) is already stored (it is kept). */
    public boolean put(long runId, String name, String keysJson, double value) {
        String sql = "INSERT INTO metrics (run_id, name, keys, value) VALUES (?, ?, ?::jsonb, ?) ON CONFLICT DO NOTHING";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, runId);
            ps.setString(2, name);
            ps.setString(3, keysJson);
            ps.setDouble(4, value);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw Sql.fail("storing metric " + name, e);
        }
    }

    public OptionalDouble get(long runId, String name, String keysJson) {
        String sql = "SELECT value FROM metrics WHERE run_id = ? AND name = ? AND keys = ?::jsonb";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, runId);
            ps.setString(2, name);
            ps.setString(3, keysJson);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalDouble.of(rs.getDouble(1)) : OptionalDouble.empty();
            }
        } catch (SQLException e) {
            throw Sql.fail("reading metric " + name, e);
        }
    }

    /** Every value of a metric in a run, by its keys (JSON text), in key order. */
    public Map<String, Double> list(long runId, String name) {
        String sql = "SELECT keys::text, value FROM metrics WHERE run_id = ? AND name = ? ORDER BY keys";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, runId);
            ps.setString(2, name);
            Map<String, Double> out = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), rs.getDouble(2));
            }
            return out;
        } catch (SQLException e) {
            throw Sql.fail("reading metric " + name, e);
        }
    }
}
