package taskvec.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An SVG heatmap of a square matrix given as view rows (row label, column label, value): one
 * rect per row, blue (-1) through white (0) to red (+1).
 */
final class Heatmap {
    private static final int CELL = 26, LABELS = 230;

    private Heatmap() {}

    static String render(String title, ViewTable t, List<String> rowLabels, List<String> colLabels, String valueColumn,
                         java.util.function.IntFunction<String> rowKey, java.util.function.IntFunction<String> colKey) {
        int n = rowLabels.size(), m = colLabels.size();
        int w = LABELS + m * CELL + 20, h = 30 + LABELS + n * CELL;
        StringBuilder b = new StringBuilder();
        b.append("<svg class=\"chart heatmap\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(h)
                .append("\" viewBox=\"0 0 ").append(w).append(' ').append(h).append("\" role=\"img\"><title>").append(Html.esc(title))
                .append("</title><text x=\"4\" y=\"16\" class=\"ctitle\">").append(Html.esc(title)).append("</text>");
        int top = 30 + LABELS;
        for (int j = 0; j < m; j++) {
            double cx = LABELS + j * CELL + CELL / 2.0;
            b.append("<text class=\"legend\" transform=\"translate(").append(Html.coord(cx + 4)).append(',').append(top - 4)
                    .append(") rotate(-60)\">").append(Html.esc(colLabels.get(j))).append("</text>");
        }
        for (int i = 0; i < n; i++) {
            b.append("<text class=\"legend\" text-anchor=\"end\" x=\"").append(LABELS - 4).append("\" y=\"")
                    .append(top + i * CELL + CELL / 2 + 4).append("\">").append(Html.esc(rowLabels.get(i))).append("</text>");
        }
        List<String> seen = new ArrayList<>();
        for (int r = 0; r < t.size(); r++) {
            int i = rowLabels.indexOf(rowKey.apply(r)), j = colLabels.indexOf(colKey.apply(r));
            if (i < 0 || j < 0) continue;
            seen.add(i + "," + j);
            double v = t.number(r, valueColumn);
            ChartPoint p = new ChartPoint(t, r, valueColumn, valueColumn, false);
            b.append("<rect class=\"point cell\"").append(p.attributes()).append(" x=\"").append(LABELS + j * CELL).append("\" y=\"")
                    .append(top + i * CELL).append("\" width=\"").append(CELL - 1).append("\" height=\"").append(CELL - 1)
                    .append("\" fill=\"").append(color(v)).append("\"><title>").append(Html.esc(rowLabels.get(i) + " vs " + colLabels.get(j)))
                    .append("</title></rect>");
        }
        return b.append("</svg>").toString();
    }

    static String color(double v) {
        if (Double.isNaN(v)) return "#ccc";
        double c = Math.max(-1, Math.min(1, v));
        int r, g, bl;
        if (c >= 0) { r = 255; g = (int) Math.round(255 * (1 - c)); bl = g; }
        else { bl = 255; r = (int) Math.round(255 * (1 + c)); g = r; }
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, bl);
    }
}
