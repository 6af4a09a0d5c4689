package taskvec.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;
import taskvec.store.repo.RunTable;

/**
 * A table as a Parquet file, written by parquet-java (Snappy-compressed, one column per table
 * column: bigint INT64, integer INT32, real FLOAT, double DOUBLE, boolean BOOLEAN, text and JSON
 * as UTF-8 strings; nullable columns OPTIONAL), so pandas and pyarrow read it with its types.
 * parquet-java's plain configuration is used, so no Hadoop file system is involved.
 */
final class ParquetTableFile implements TableFile {
    private final ParquetWriter<Object[]> writer;

    ParquetTableFile(Path file, List<RunTable.Column> columns) throws IOException {
        MessageType schema = schema(columns);
        writer = new Builder(new LocalOutputFile(file), new RowWriteSupport(schema, columns))
                .withConf(new PlainParquetConfiguration())
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build();
    }

    static MessageType schema(List<RunTable.Column> columns) {
        Types.MessageTypeBuilder b = Types.buildMessage();
        for (RunTable.Column c : columns) {
            Repetition r = c.nullable() ? Repetition.OPTIONAL : Repetition.REQUIRED;
            switch (c.type()) {
                case LONG -> b.primitive(PrimitiveTypeName.INT64, r).named(c.name());
                case INT -> b.primitive(PrimitiveTypeName.INT32, r).named(c.name());
                case FLOAT -> b.primitive(PrimitiveTypeName.FLOAT, r).named(c.name());
                case DOUBLE -> b.primitive(PrimitiveTypeName.DOUBLE, r).named(c.name());
                case BOOLEAN -> b.primitive(PrimitiveTypeName.BOOLEAN, r).named(c.name());
                case TEXT, JSON -> b.primitive(PrimitiveTypeName.BINARY, r).as(LogicalTypeAnnotation.stringType()).named(c.name());
            }
        }
        return b.named("row");
    }

    @Override
    public void write(Object[] row) {
        try {
            writer.write(row);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }

    /** Hands a row's values to Parquet's record consumer, skipping NULLs (absent optional fields). */
    private static final class RowWriteSupport extends WriteSupport<Object[]> {
        private final MessageType schema;
        private final List<RunTable.Column> columns;
        private RecordConsumer out;

        RowWriteSupport(MessageType schema, List<RunTable.Column> columns) {
            this.schema = schema;
            this.columns = columns;
        }

        @Override
        public WriteContext init(ParquetConfiguration configuration) {
            return new WriteContext(schema, Map.of());
        }

        @Override
        public WriteContext init(Configuration configuration) {
            return new WriteContext(schema, Map.of());
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            out = recordConsumer;
        }

        @Override
        public void write(Object[] row) {
            out.startMessage();
            for (int i = 0; i < row.length; i++) {
                Object v = row[i];
                if (v == null) continue;
                RunTable.Column c = columns.get(i);
                out.startField(c.name(), i);
                switch (c.type()) {
                    case LONG -> out.addLong((Long) v);
                    case INT -> out.addInteger((Integer) v);
                    case FLOAT -> out.addFloat((Float) v);
                    case DOUBLE -> out.addDouble((Double) v);
                    case BOOLEAN -> out.addBoolean((Boolean) v);
                    case TEXT, JSON -> out.addBinary(Binary.fromString((String) v));
                }
                out.endField(c.name(), i);
            }
            out.endMessage();
        }
    }

    private static final class Builder extends ParquetWriter.Builder<Object[], Builder> {
        private final RowWriteSupport support;

        Builder(OutputFile file, RowWriteSupport support) {
            super(file);
            this.support = support;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Object[]> getWriteSupport(Configuration conf) {
            return support;
        }

        @Override
        protected WriteSupport<Object[]> getWriteSupport(ParquetConfiguration conf) {
            return support;
        }
    }
}
