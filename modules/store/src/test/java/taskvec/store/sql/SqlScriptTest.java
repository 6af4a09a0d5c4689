package taskvec.store.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlScriptTest {

    @Test
    void parametersBecomePlaceholdersOutsideQuotesCommentsAndCasts() {
        SqlScript s = SqlScript.parse("SELECT ':no', \":no\", x::int, $$ :no ; $$, $tag$ ? $tag$ -- :no ;\n"
                + "FROM t WHERE a = :run /* :no; */ AND b ? 'k' AND c = :name_2;\n  SELECT :run");
        assertEquals(2, s.statements().size());
        SqlScript.Statement first = s.statements().get(0);
        assertEquals("SELECT ':no', \":no\", x::int, $$ :no ; $$, $tag$ ? $tag$ -- :no ;\n"
                + "FROM t WHERE a = ? /* :no; */ AND b ?? 'k' AND c = ?", first.jdbcText());
        assertEquals(List.of("run", "name_2"), first.parameters());
        assertEquals("SELECT", first.firstKeyword());
        assertEquals(List.of("run"), s.statements().get(1).parameters());
        assertEquals(List.of("run", "name_2"), List.copyOf(s.parameters()));
    }

    @Test
    void firstKeywordSkipsCommentsAndEmptyStatementsVanish() {
        SqlScript s = SqlScript.parse(";; -- note\n /* x */ commit ; ;");
        assertEquals(1, s.statements().size());
        assertEquals("COMMIT", s.statements().get(0).firstKeyword());
        assertEquals(0, SqlScript.parse(" -- only a comment\n").statements().size());
    }

    @Test
    void quotesWithDoubledQuotesStayWhole() {
        SqlScript s = SqlScript.parse("SELECT 'it''s; :x' AS \"a \"\";\"");
        assertEquals(1, s.statements().size());
        assertEquals(List.of(), s.statements().get(0).parameters());
    }
}
