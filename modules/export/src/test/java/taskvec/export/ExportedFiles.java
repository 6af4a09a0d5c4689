package taskvec.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Arrays;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import taskvec.model.safetensors.SafetensorsFile;
import taskvec.store.Store;
import taskvec.store.repo.Vector;
import taskvec.store.repo.VectorGroup;

/** Reads an export back with the libraries' own readers (parquet-java here; the project's safetensors reader in the tests). */
public final class ExportedFiles {
    private ExportedFiles() {}

    /** A Parquet file's schema and rows (column name -> value; absent optional fields as null), read by parquet-java. */
    public record ParquetContent(MessageType schema, List<Map<String, Object>> rows) {}

    public static ParquetContent readParquet(Path file) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration()).build();
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file), options)) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                RecordReader<Group> records = new ColumnIOFactory().getColumnIO(schema).getRecordReader(pages, new GroupRecordConverter(schema));
                for (long i = 0; i < pages.getRowCount(); i++) {
                    Group g = records.read();
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (Type field : schema.getFields()) {
                        String name = field.getName();
                        row.put(name, g.getFieldRepetitionCount(name) == 0 ? null : value(g, name, field.asPrimitiveType()));
                    }
                    rows.add(row);
                }
            }
            return new ParquetContent(schema, rows);
        }
    }

    /**
     * Checks vectors.safetensors against the database: one tensor per stored (model, task, spec,
     * seed, kind, variant), each row equal to the stored elements bit for bit, the metadata's
     * SHA-256 the stored one and the hash of the row read back. Returns the number of tensors.
     */
    public static int checkVectors(Store store, long runId, Path file) {
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            List<VectorGroup> groups = store.vectors().groups(runId);
            if (st.names().size() != groups.size()) {
                throw new AssertionError(st.names().size() + " tensors for " + groups.size() + " stored vector groups");
            }
            JsonMapper json = JsonMapper.builder().build();
            for (VectorGroup g : groups) {
                String name = VectorTensors.name(g);
                float[] tensor = st.readFloats(name);
                long[] shape = st.info(name).shape();
                if (shape[0] != g.layers().size() || shape[1] != g.dim()) throw new AssertionError(name + ": shape " + Arrays.toString(shape));
                JsonNode meta = json.readTree(st.metadata().get(name));
                List<Vector> rows = store.vectors().layers(g);
                for (int i = 0; i < rows.size(); i++) {
                    Vector v = rows.get(i);
                    float[] row = Arrays.copyOfRange(tensor, i * g.dim(), (i + 1) * g.dim());
                    if (!Arrays.equals(row, v.elements())) throw new AssertionError(name + " layer " + v.layer() + ": elements differ");
                    if (!v.sha256().equals(meta.get("sha256").get(i).asText()) || !v.sha256().equals(Vector.sha256(row))) {
                        throw new AssertionError(name + " layer " + v.layer() + ": SHA-256 differs from the stored " + v.sha256());
                    }
                    if (meta.get("layers").get(i).asInt() != v.layer()) throw new AssertionError(name + ": layer order");
                }
                for (String key : List.of("run", "model", "task", "spec", "seed", "kind")) {
                    if (!meta.has(key)) throw new AssertionError(name + ": metadata lacks " + key);
                }
                if (meta.get("run").asLong() != runId || !meta.get("model").asText().equals(g.model())
                        || !meta.get("spec").asText().equals(g.spec()) || meta.get("seed").asInt() != g.seed()) {
                    throw new AssertionError(name + ": metadata " + meta);
                }
            }
            return groups.size();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Object value(Group g, String name, PrimitiveType type) {
        return switch (type.getPrimitiveTypeName()) {
            case INT64 -> g.getLong(name, 0);
            case INT32 -> g.getInteger(name, 0);
            case FLOAT -> g.getFloat(name, 0);
            case DOUBLE -> g.getDouble(name, 0);
            case BOOLEAN -> g.getBoolean(name, 0);
            case BINARY -> g.getString(name, 0);
            default -> throw new IllegalArgumentException(name + ": " + type);
        };
    }
}
