package taskvec.store.repo;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Vectors as {@code real[]} with their SHA-256 and parents; one per unique key, written once. */
public final class VectorRepository {

    private static final String COLUMNS = "v.id, v.run_id, v.model, v.task, v.spec, v.seed, v.layer, v.kind, v.variant,"
            + " v.prompt_id, v.elements, v.sha256,"
            + " ARRAY(SELECT p.parent_id FROM vector_parents p WHERE p.vector_id = v.id ORDER BY p.parent_id)";

    private final DataSource ds;

    public VectorRepository(DataSource ds) {
        this.ds = ds;
    }

    /**
     * Stores the vectors (with their parent links) and returns their ids in order. A vector whose
     * key is already stored is left as it is and its existing id returned -- a redelivered item
     * never writes twice.
     */
    public List<Long> insertAll(List<Vector> vectors) {
        String insert = "INSERT INTO vectors (run_id, model, task, spec, seed, layer, kind, variant, prompt_id, dim, elements, sha256)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (run_id, model, task, spec, seed, layer, kind, variant) DO NOTHING";
        String select = "SELECT id FROM vectors WHERE run_id = ? AND model = ? AND task = ? AND spec = ? AND seed = ?"
                + " AND layer = ? AND kind = ? AND variant = ?";
        String link = "INSERT INTO vector_parents (vector_id, parent_id) VALUES (?, ?) ON CONFLICT DO NOTHING";
        try (Connection c = ds.getConnection();
             PreparedStatement ins = c.prepareStatement(insert);
             PreparedStatement sel = c.prepareStatement(select);
             PreparedStatement par = c.prepareStatement(link)) {
            c.setAutoCommit(false);
            List<Long> ids = new ArrayList<>(vectors.size());
            for (Vector v : vectors) {
                Float[] boxed = new Float[v.elements().length];
                for (int i = 0; i < boxed.length; i++) boxed[i] = v.elements()[i];
                ins.setLong(1, v.runId());
                ins.setString(2, v.model());
                ins.setString(3, v.task());
                ins.setString(4, v.spec());
                ins.setInt(5, v.seed());
                ins.setInt(6, v.layer());
                ins.setString(7, v.kind().db());
                ins.setString(8, v.variant());
                ins.setObject(9, v.promptId());
                ins.setInt(10, boxed.length);
                ins.setArray(11, c.createArrayOf("float4", boxed));
                ins.setString(12, v.sha256());
                ins.executeUpdate();
                sel.setLong(1, v.runId());
                sel.setString(2, v.model());
                sel.setString(3, v.task());
                sel.setString(4, v.spec());
                sel.setInt(5, v.seed());
                sel.setInt(6, v.layer());
                sel.setString(7, v.kind().db());
                sel.setString(8, v.variant());
                long id;
                try (ResultSet rs = sel.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
                for (long parent : v.parents()) {
                    par.setLong(1, id);
                    par.setLong(2, parent);
                    par.executeUpdate();
                }
                ids.add(id);
            }
            c.commit();
            return ids;
        } catch (SQLException e) {
            throw Sql.fail("storing vectors", e);
        }
    }

    public Optional<Vector> find(long vectorId) {
        return query("SELECT " + COLUMNS + " FROM vectors v WHERE v.id = ?", vectorId).stream().findFirst();
    }

    /** The vector with this key in a run, if stored. */
    public Optional<Vector> find(long runId, String model, String task, String spec, int seed, int layer,
                                 Vector.Kind kind, String variant) {
        return query("SELECT " + COLUMNS + " FROM vectors v WHERE v.run_id = ? AND v.model = ? AND v.task = ?"
                + " AND v.spec = ? AND v.seed = ? AND v.layer = ? AND v.kind = ? AND v.variant = ?",
                runId, model, task, spec, seed, layer, kind.db(), variant).stream().findFirst();
    }

    /** The vectors of one kind for (run, model, task, spec, seed), by layer then variant. */
    public List<Vector> list(long runId, String model, String task, String spec, int seed, Vector.Kind kind) {
        return query("SELECT " + COLUMNS + " FROM vectors v WHERE v.run_id = ? AND v.model = ? AND v.task = ?"
                + " AND v.spec = ? AND v.seed = ? AND v.kind = ? ORDER BY v.layer, v.variant",
                runId, model, task, spec, seed, kind.db());
    }

    /**
     * Every vector of a run as groups over layers, without reading elements: one per (model, task,
     * spec, seed, kind, variant), ordered by model, kind, task, spec, seed, variant.
     */
    public List<VectorGroup> groups(long runId) {
        String sql = "SELECT model, task, spec, seed, kind, variant, min(dim), max(dim), array_agg(layer ORDER BY layer),"
                + " array_agg(id ORDER BY layer), array_agg(sha256 ORDER BY layer) FROM vectors WHERE run_id = ?"
                + " GROUP BY model, task, spec, seed, kind, variant ORDER BY model, kind, task, spec, seed, variant";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, runId);
            List<VectorGroup> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String what = rs.getString(2) + "/" + rs.getString(3) + " seed " + rs.getInt(4) + " " + rs.getString(5);
                    if (rs.getInt(7) != rs.getInt(8)) {
                        throw new StoreException("run " + runId + ": vectors " + what + " differ in size across layers ("
                                + rs.getInt(7) + " and " + rs.getInt(8) + ")", null);
                    }
                    out.add(new VectorGroup(runId, rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                            Vector.Kind.valueOf(rs.getString(5).toUpperCase(java.util.Locale.ROOT)), rs.getString(6), rs.getInt(7),
                            List.of((Integer[]) rs.getArray(9).getArray()), List.of((Long[]) rs.getArray(10).getArray()),
                            List.of((String[]) rs.getArray(11).getArray())));
                }
            }
            return out;
        } catch (SQLException e) {
            throw Sql.fail("listing the vectors of run " + runId, e);
        }
    }

    /** The rows of one group, by layer. */
    public List<Vector> layers(VectorGroup g) {
        return query("SELECT " + COLUMNS + " FROM vectors v WHERE v.run_id = ? AND v.model = ? AND v.task = ? AND v.spec = ?"
                + " AND v.seed = ? AND v.kind = ? AND v.variant = ? ORDER BY v.layer",
                g.runId(), g.model(), g.task(), g.spec(), g.seed(), g.kind().db(), g.variant());
    }

    public int count(long runId) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM vectors WHERE run_id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw Sql.fail("counting vectors", e);
        }
    }

    private List<Vector> query(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            List<Vector> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Float[] boxed = (Float[]) rs.getArray(11).getArray();
                    float[] elements = new float[boxed.length];
                    for (int i = 0; i < boxed.length; i++) elements[i] = boxed[i];
                    Array parentArray = rs.getArray(13);
                    List<Long> parents = List.of((Long[]) parentArray.getArray());
                    long prompt = rs.getLong(10);
                    Long promptId = rs.wasNull() ? null : prompt;
                    out.add(new Vector(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getInt(6), rs.getInt(7), Vector.Kind.valueOf(rs.getString(8).toUpperCase(java.util.Locale.ROOT)),
                            rs.getString(9), promptId, elements, rs.getString(12), parents));
                }
            }
            return out;
        } catch (SQLException e) {
            throw Sql.fail("reading vectors", e);
        }
    }
}
