package taskvec.export;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import taskvec.report.CsvWriter;
import taskvec.store.repo.RunTable;

/** A table as CSV, through the project's CSV writer. */
final class CsvTableFile implements TableFile {
    private final BufferedWriter out;
    private final CsvWriter csv;

    CsvTableFile(Path file, List<RunTable.Column> columns) throws IOException {
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        csv = new CsvWriter(out);
        csv.row(columns.stream().map(RunTable.Column::name).toList());
    }

    @Override
    public void write(Object[] row) {
        csv.row(Arrays.asList(row));
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
