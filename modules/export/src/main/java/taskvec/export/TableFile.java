package taskvec.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import taskvec.store.repo.RunTable;

/** One exported table: a header of typed columns, then rows of values in column order. */
interface TableFile extends AutoCloseable {

    void write(Object[] row);

    @Override
    void close() throws IOException;

    static TableFile open(ExportFormat format, Path file, List<RunTable.Column> columns) throws IOException {
        return switch (format) {
            case PARQUET -> new ParquetTableFile(file, columns);
            case CSV -> new CsvTableFile(file, columns);
        };
    }
}
