package taskvec.report;

import java.util.List;

/** Horizontal bars split into shares (each row of a view is one bar; the share columns are its segments). */
final class StackedBars {
    private static final int W = 620, BAR = 20, LABELS = 260, LEN = 300;
    private static final String[] COLORS = {"#0072B2", "#E69F00", "#999999"};

    private StackedBars() {}

    static String render(String title, ViewTable t, List<String> shareColumns, java.util.function.IntFunction<String> label) {
        int h = 40 + t.size() * (BAR + 8) + 24;
        StringBuilder b = new StringBuilder();
        b.append("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(h)
                .append("\" viewBox=\"0 0 ").append(W).append(' ').append(h).append("\" role=\"img\"><title>").append(Html.esc(title))
                .append("</title><text x=\"4\" y=\"16\" class=\"ctitle\">").append(Html.esc(title)).append("</text>");
        for (int r = 0; r < t.size(); r++) {
            int y = 30 + r * (BAR + 8);
            b.append("<text class=\"legend\" text-anchor=\"end\" x=\"").append(LABELS - 6).append("\" y=\"").append(y + 14).append("\">")
                    .append(Html.esc(label.apply(r))).append("</text>");
            double x = LABELS;
            for (int s = 0; s < shareColumns.size(); s++) {
                double share = t.number(r, shareColumns.get(s));
                ChartPoint p = new ChartPoint(t, r, shareColumns.get(s), shareColumns.get(s), false);
                b.append("<rect class=\"point\"").append(p.attributes()).append(" x=\"").append(Html.coord(x)).append("\" y=\"").append(y)
                        .append("\" width=\"").append(Html.coord(share * LEN)).append("\" height=\"").append(BAR).append("\" fill=\"")
                        .append(COLORS[s % COLORS.length]).append("\"><title>").append(Html.esc(shareColumns.get(s))).append("</title></rect>");
                x += share * LEN;
            }
        }
        int ly = h - 10;
        for (int s = 0; s < shareColumns.size(); s++) {
            b.append("<rect x=\"").append(LABELS + s * 100).append("\" y=\"").append(ly - 9).append("\" width=\"10\" height=\"10\" fill=\"")
                    .append(COLORS[s % COLORS.length]).append("\"/><text class=\"legend\" x=\"").append(LABELS + s * 100 + 14)
                    .append("\" y=\"").append(ly).append("\">").append(Html.esc(shareColumns.get(s))).append("</text>");
        }
        return b.append("</svg>").toString();
    }
}
