package taskvec.store.repo;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Prompts; written once per (run, task, seed, split, item, spec, modality). */
public final class PromptRepository {

    private static final String COLUMNS = "id, run_id, task, seed, split, item_id, spec, modality, text, demo_ids,"
            + " token_count, read_position, read_token, write_position, write_token, answer, answer_token";

    private final DataSource ds;

    public PromptRepository(DataSource ds) {
        this.ds = ds;
    }

    /**
     * Stores the prompts (their ids are ignored) and returns them with their ids; a prompt already
     * stored under the same unique key is left as it is and its existing id returned.
     */
    public List<Prompt> insertAll(List<Prompt> prompts) {
        String insert = "INSERT INTO prompts (run_id, task, seed, split, item_id, spec, modality, text, demo_ids,"
                + " token_count, read_position, read_token, write_position, write_token, answer, answer_token)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (run_id, task, seed, split, item_id, spec, modality) DO NOTHING";
        String select = "SELECT id FROM prompts WHERE run_id = ? AND task = ? AND seed = ? AND split = ?"
                + " AND item_id = ? AND spec = ? AND modality = ?";
        try (Connection c = ds.getConnection();
             PreparedStatement ins = c.prepareStatement(insert);
             PreparedStatement sel = c.prepareStatement(select)) {
            c.setAutoCommit(false);
            List<Prompt> out = new ArrayList<>(prompts.size());
            for (Prompt p : prompts) {
                ins.setLong(1, p.runId());
                ins.setString(2, p.task());
                ins.setInt(3, p.seed());
                ins.setString(4, p.split());
                ins.setString(5, p.itemId());
                ins.setString(6, p.spec());
                ins.setString(7, p.modality());
                ins.setString(8, p.text());
                ins.setArray(9, c.createArrayOf("text", p.demoIds().toArray()));
                ins.setInt(10, p.tokenCount());
                ins.setObject(11, p.readPosition());
                ins.setString(12, p.readToken());
                ins.setObject(13, p.writePosition());
                ins.setString(14, p.writeToken());
                ins.setString(15, p.answer());
                ins.setString(16, p.answerToken());
                ins.executeUpdate();
                sel.setLong(1, p.runId());
                sel.setString(2, p.task());
                sel.setInt(3, p.seed());
                sel.setString(4, p.split());
                sel.setString(5, p.itemId());
                sel.setString(6, p.spec());
                sel.setString(7, p.modality());
                try (ResultSet rs = sel.executeQuery()) {
                    rs.next();
                    out.add(p.withId(rs.getLong(1)));
                }
            }
            c.commit();
            return out;
        } catch (SQLException e) {
            throw Sql.fail("storing prompts", e);
        }
    }

    public Optional<Prompt> find(long promptId) {
        return query("SELECT " + COLUMNS + " FROM prompts WHERE id = ?", promptId).stream().findFirst();
    }

    /** The prompts of (run, task, seed, split), by item and spec. */
    public List<Prompt> list(long runId, String task, int seed, String split) {
        return query("SELECT " + COLUMNS + " FROM prompts WHERE run_id = ? AND task = ? AND seed = ? AND split = ?"
                + " ORDER BY item_id, spec, modality", runId, task, seed, split);
    }

    public int count(long runId) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM prompts WHERE run_id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw Sql.fail("counting prompts", e);
        }
    }

    private List<Prompt> query(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            List<Prompt> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Array demos = rs.getArray(10);
                    out.add(new Prompt(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                            Arrays.asList((String[]) demos.getArray()), rs.getInt(11),
                            (Integer) rs.getObject(12), rs.getString(13), (Integer) rs.getObject(14), rs.getString(15),
                            rs.getString(16), rs.getString(17)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw Sql.fail("reading prompts", e);
        }
    }
}
