package taskvec.report;

import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How a value from a view is written in every output (HTML, Markdown, CSV): fractions and other
 * reals with three decimals, integers as they are, times in UTC to the second. The tests format
 * the views' values with the same rules to compare them with the HTML.
 */
public final class Cells {
    private Cells() {}

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");

    public static String format(Object v) {
        if (v == null) return "n/a";
        if (v instanceof Double || v instanceof Float || v instanceof java.math.BigDecimal) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d)) return "n/a";
            return String.format(Locale.ROOT, "%.3f", d);
        }
        if (v instanceof Number n) return Long.toString(n.longValue());
        if (v instanceof Boolean b) return b ? "yes" : "no";
        if (v instanceof OffsetDateTime t) return TIME.format(t.withOffsetSameInstant(ZoneOffset.UTC));
        if (v instanceof Timestamp t) return TIME.format(t.toInstant().atOffset(ZoneOffset.UTC));
        return v.toString();
    }

    /** True for values written as numbers (the ones the HTML tags with their view and column). */
    public static boolean isNumber(Object v) {
        return v instanceof Number;
    }
}
