package taskvec.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One CSV per report view ({@code <view>.csv}): a header of column names, then the rows (RFC 4180 quoting, NULL empty). */
final class CsvFiles {
    private CsvFiles() {}

    static List<Path> write(Map<String, ViewTable> views, Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (ViewTable t : views.values()) {
            StringBuilder b = new StringBuilder();
            line(b, new ArrayList<>(t.columns()));
            for (List<Object> row : t.rows()) {
                List<Object> cells = new ArrayList<>();
                for (Object o : row) cells.add(o == null ? "" : o instanceof Double || o instanceof Float ? o.toString() : Cells.format(o));
                line(b, cells);
            }
            Path f = dir.resolve(t.view() + ".csv");
            Files.writeString(f, b.toString(), StandardCharsets.UTF_8);
            out.add(f);
        }
        return out;
    }

    private static void line(StringBuilder b, List<?> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) b.append(',');
            String s = cells.get(i).toString();
            if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) s = "\"" + s.replace("\"", "\"\"") + "\"";
            b.append(s);
        }
        b.append("\r\n");
    }
}
