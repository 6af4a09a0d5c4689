package taskvec.report;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One CSV per report view ({@code <view>.csv}): a header of column names, then the rows, through {@link CsvWriter}. */
final class CsvFiles {
    private CsvFiles() {}

    static List<Path> write(Map<String, ViewTable> views, Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (ViewTable t : views.values()) {
            Path f = dir.resolve(t.view() + ".csv");
            try (Writer w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
                CsvWriter csv = new CsvWriter(w);
                csv.row(t.columns());
                for (List<Object> row : t.rows()) csv.row(row);
            }
            out.add(f);
        }
        return out;
    }
}
