package taskvec.report;

import java.util.Locale;

/** Escaping, and the tagged spans through which every number from a view enters the HTML. */
final class Html {
    private Html() {}

    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    /** A cell value: numbers tagged with their view, row and column (so a test can check them against SQL). */
    static String value(ViewTable t, int row, String column) {
        Object v = t.get(row, column);
        String text = esc(Cells.format(v));
        if (!Cells.isNumber(v)) return text;
        return "<span class=\"num\" data-view=\"" + t.view() + "\" data-row=\"" + row + "\" data-col=\"" + esc(column) + "\">"
                + text + "</span>";
    }

    /** A table of chosen columns of a view; headers as given. */
    static String table(ViewTable t, String[] columns, String[] headers) {
        StringBuilder b = new StringBuilder("<table data-table=\"").append(t.view()).append("\"><thead><tr>");
        for (String h : headers) b.append("<th>").append(esc(h)).append("</th>");
        b.append("</tr></thead><tbody>");
        for (int r = 0; r < t.size(); r++) {
            b.append("<tr>");
            for (String c : columns) {
                boolean num = Cells.isNumber(t.get(r, c));
                b.append(num ? "<td class=\"n\">" : "<td>").append(value(t, r, c)).append("</td>");
            }
            b.append("</tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    /** A coordinate for SVG attributes (not a number from a view: positions only). */
    static String coord(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
