package taskvec.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvWriterTest {

    @Test
    void quotingNullsNumbersBooleansAndTimes() {
        StringWriter out = new StringWriter();
        new CsvWriter(out)
                .row(List.of("a", "b,c", "say \"hi\"", "two\nlines"))
                .row(Arrays.asList(null, 0.1 + 0.2, 1.5f, new BigDecimal("0.917")))
                .row(List.of(true, 7L, OffsetDateTime.of(2026, 12, 3, 10, 0, 0, 0, ZoneOffset.UTC),
                        Timestamp.from(Instant.parse("2026-12-03T10:00:01Z"))));
        assertEquals("a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\"\n"
                + ",0.30000000000000004,1.5,0.917\n"
                + "true,7,2026-12-03T10:00Z,2026-12-03T10:00:01Z\n", out.toString());
    }
}
