package taskvec.store.sql;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A user's SQL text split into statements, with {@code :name} parameters turned into JDBC
 * placeholders (so values are bound, never pasted into the text). Quoted strings, quoted
 * identifiers, dollar-quoted bodies, comments and {@code ::} casts are left as they are; a
 * literal {@code ?} (the jsonb operator) is escaped for the driver.
 */
public final class SqlScript {

    /** One statement: its JDBC text, the parameter names in placeholder order, and its first keyword (upper case). */
    public record Statement(String jdbcText, List<String> parameters, String firstKeyword) {}

    private final List<Statement> statements;

    private SqlScript(List<Statement> statements) {
        this.statements = List.copyOf(statements);
    }

    public List<Statement> statements() {
        return statements;
    }

    /** Every parameter name the script uses. */
    public Set<String> parameters() {
        Set<String> out = new LinkedHashSet<>();
        statements.forEach(s -> out.addAll(s.parameters()));
        return out;
    }

    public static SqlScript parse(String sql) {
        List<Statement> out = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        List<String> params = new ArrayList<>();
        boolean hasContent = false;
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            char next = i + 1 < n ? sql.charAt(i + 1) : 0;
            if (c == '\'' || c == '"') {
                int end = closing(sql, i + 1, c);
                text.append(sql, i, end);
                hasContent = true;
                i = end;
            } else if (c == '-' && next == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? n : end;
                text.append(sql, i, end);
                i = end;
            } else if (c == '/' && next == '*') {
                int end = sql.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                text.append(sql, i, end);
                i = end;
            } else if (c == '$' && dollarTag(sql, i) != null) {
                String tag = dollarTag(sql, i);
                int end = sql.indexOf(tag, i + tag.length());
                end = end < 0 ? n : end + tag.length();
                text.append(sql, i, end);
                hasContent = true;
                i = end;
            } else if (c == ':' && next == ':') {
                text.append("::");
                i += 2;
            } else if (c == ':' && Character.isJavaIdentifierStart(next) && next != '$') {
                int end = i + 1;
                while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) end++;
                params.add(sql.substring(i + 1, end));
                text.append('?');
                hasContent = true;
                i = end;
            } else if (c == '?') {
                text.append("??");
                hasContent = true;
                i++;
            } else if (c == ';') {
                if (hasContent) out.add(statement(text.toString(), params));
                text.setLength(0);
                params = new ArrayList<>();
                hasContent = false;
                i++;
            } else {
                text.append(c);
                if (!Character.isWhitespace(c)) hasContent = true;
                i++;
            }
        }
        if (hasContent) out.add(statement(text.toString(), params));
        return new SqlScript(out);
    }

    private static Statement statement(String text, List<String> params) {
        String stripped = stripComments(text).strip();
        int end = 0;
        while (end < stripped.length() && Character.isLetter(stripped.charAt(end))) end++;
        return new Statement(text.strip(), List.copyOf(params), stripped.substring(0, end).toUpperCase(java.util.Locale.ROOT));
    }

    private static String stripComments(String text) {
        return text.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("--[^\\n]*", " ");
    }

    /** The index after the quote closing one opened before {@code from} ('' and "" are escaped quotes). */
    private static int closing(String sql, int from, char quote) {
        int i = from;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }

    /** "$tag$" or "$$" starting at i, else null ($1 is not a tag). */
    private static String dollarTag(String sql, int i) {
        int j = i + 1;
        while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) j++;
        if (j >= sql.length() || sql.charAt(j) != '$') return null;
        String tag = sql.substring(i, j + 1);
        if (tag.length() > 2 && Character.isDigit(tag.charAt(1))) return null;
        return tag;
    }
}
