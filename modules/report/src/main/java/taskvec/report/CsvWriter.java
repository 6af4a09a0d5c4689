package taskvec.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.Timestamp;
import java.util.List;

/**
 * The project's one CSV writer (report views, {@code taskvec sql --csv}, {@code runs --csv},
 * {@code export --format csv}): RFC 4180 quoting (a cell with a comma, quote or line break is
 * quoted, quotes doubled), lines ended by {@code \n}, NULL as an empty cell, numbers in full
 * precision, booleans as true/false, times as ISO-8601. What pandas, R and spreadsheets read
 * without options.
 */
public final class CsvWriter {
    private final Writer out;

    public CsvWriter(Writer out) {
        this.out = out;
    }

    /** Writes one line: the header's names, or a row's values (formatted by {@link #text}). */
    public CsvWriter row(List<?> cells) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) b.append(',');
            b.append(quote(text(cells.get(i))));
        }
        b.append('\n');
        try {
            out.write(b.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("writing CSV: " + e.getMessage(), e);
        }
        return this;
    }

    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing CSV: " + e.getMessage(), e);
        }
    }

    /** A value as CSV shows it: "" for NULL, shortest round-tripping text for floats, ISO-8601 for times. */
    public static String text(Object v) {
        if (v == null) return "";
        if (v instanceof Timestamp t) return t.toInstant().toString();
        return v.toString();
    }

    static String quote(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) return '"' + s.replace("\"", "\"\"") + '"';
        return s;
    }
}
