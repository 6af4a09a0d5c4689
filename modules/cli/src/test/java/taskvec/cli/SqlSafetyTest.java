package taskvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static taskvec.cli.CliRun.run;

import org.junit.jupiter.api.Test;
import taskvec.cli.CliRun.Result;
import taskvec.cli.common.ExitCodes;
import taskvec.store.repo.NewRun;
import taskvec.store.repo.Status;

/** taskvec sql is read-only unless --write, binds --set values as parameters, and knows "latest". */
class SqlSafetyTest extends HeldServerTest {

    private static long count(String where) {
        Result r = run("sql", "--csv", "SELECT count(*) FROM runs WHERE " + where);
        assertEquals(0, r.code(), r.err());
        return Long.parseLong(r.out().lines().toList().get(1));
    }

    @Test
    void aDeleteFailsClearlyAndChangesNothingUnlessWrite() {
        long id = held.runs().create(new NewRun("sql-safety", "{}", "test", null, null, "cpu", "float32"));
        long before = count("true");
        Result refused = run("sql", "delete from runs");
        assertEquals(ExitCodes.INVALID_INPUT, refused.code());
        assertTrue(refused.err().startsWith("taskvec: sql: the query would change data, and taskvec sql is read-only unless --write"
                + " is given"), refused.err());
        assertTrue(refused.err().contains("nothing was changed"), refused.err());
        assertEquals(before, count("true"));

        // a script cannot end the read-only transaction and write in a new one
        Result sneaky = run("sql", "commit; delete from runs");
        assertEquals(ExitCodes.INVALID_INPUT, sneaky.code());
        assertTrue(sneaky.err().contains("COMMIT is not allowed in a read-only query"), sneaky.err());
        Result mode = run("sql", "set transaction read write; delete from runs");
        assertEquals(ExitCodes.INVALID_INPUT, mode.code());
        assertEquals(before, count("true"));

        Result write = run("sql", "--write", "--set", "id=" + id, "delete from runs where id = :id");
        assertEquals(0, write.code(), write.err());
        assertEquals("(1 row affected)\n", write.out());
        assertEquals(0, count("id = " + id));
    }

    @Test
    void setBindsValuesAsParametersQuotesIncluded() {
        String name = "it's a \"run\"; drop table runs; --";
        long id = held.runs().create(new NewRun(name, "{}", "test", null, null, "cpu", "float32"));
        Result r = run("sql", "--csv", "--set", "name=" + name, "--set", "run=" + id,
                "SELECT id, name, 'a :literal ? stays' AS text, '{\"a\":1}'::jsonb ? 'a' AS has_a FROM runs WHERE name = :name AND id = :run");
        assertEquals(0, r.code(), r.err());
        assertEquals(String.join("\n", "id,name,text,has_a", id + ",\"" + name.replace("\"", "\"\"") + "\",a :literal ? stays,true", ""),
                r.out());

        Result missing = run("sql", "SELECT :nothing");
        assertEquals(ExitCodes.INVALID_INPUT, missing.code());
        assertTrue(missing.err().contains("the query uses :nothing but no value was given (--set nothing=VALUE)"), missing.err());
        Result unused = run("sql", "--set", "typo=1", "SELECT 1");
        assertEquals(ExitCodes.INVALID_INPUT, unused.code());
        assertTrue(unused.err().contains("--set typo: the query has no :typo"), unused.err());
    }

    @Test
    void latestIsTheNewestDoneRunNotTheLargestId() {
        long older = held.runs().create(new NewRun("latest-a", "{}", "test", null, null, "cpu", "float32"));
        long newer = held.runs().create(new NewRun("latest-b", "{}", "test", null, null, "cpu", "float32"));
        held.runs().setStatus(newer, Status.DONE, null);
        held.runs().setStatus(older, Status.DONE, null); // finished last: the latest, though its id is smaller
        // other test classes share this store: put its finish after every run they may have finished meanwhile
        try (java.sql.Connection c = held.connect();
             java.sql.PreparedStatement st = c.prepareStatement("UPDATE runs SET finished_at = now() + interval '1 day' WHERE id = ?")) {
            st.setLong(1, older);
            st.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        held.runs().create(new NewRun("latest-c running", "{}", "test", null, null, "cpu", "float32"));
        Result r = run("sql", "--csv", "--set", "run=latest", "SELECT name FROM runs WHERE id = :run");
        assertEquals(0, r.code(), r.err());
        assertEquals("name\nlatest-a\n", r.out());
        Result status = run("status", "--json", "latest");
        assertEquals(0, status.code(), status.err());
        assertTrue(status.out().contains("\"name\" : \"latest-a\""), status.out());
    }
}
