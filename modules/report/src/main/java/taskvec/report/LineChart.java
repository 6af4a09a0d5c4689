package taskvec.report;

import java.util.ArrayList;
import java.util.List;

/** An SVG line chart: one polyline per series, a circle per point, marked points ringed, a legend. */
final class LineChart {
    private static final int W = 660, H = 300, LEFT = 52, RIGHT = 240, TOP = 26, BOTTOM = 40;

    private LineChart() {}

    /** How the y axis is scaled: 0..1 (accuracies), from 0 to the largest value (small probabilities), or the data's range. */
    enum YScale { UNIT, FROM_ZERO, DATA }

    static String render(String title, String xLabel, String yLabel, List<ChartSeries> series, YScale scale) {
        List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
        for (ChartSeries s : series) for (ChartPoint p : s.points()) { xs.add(p.x()); ys.add(p.y()); }
        Axis x = Axis.over(xs, LEFT, W - RIGHT, false);
        Axis y = scale == YScale.UNIT ? new Axis(0, 1, H - BOTTOM, TOP) : Axis.over(ys, H - BOTTOM, TOP, scale == YScale.FROM_ZERO);
        boolean integerX = xs.stream().allMatch(v -> v == Math.rint(v));
        StringBuilder b = new StringBuilder();
        b.append("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(H)
                .append("\" viewBox=\"0 0 ").append(W).append(' ').append(H).append("\" role=\"img\"><title>").append(Html.esc(title))
                .append("</title>");
        b.append("<text x=\"").append(LEFT).append("\" y=\"16\" class=\"ctitle\">").append(Html.esc(title)).append("</text>");
        frame(b, x, y, integerX, xLabel, yLabel);
        Palette palette = new Palette();
        int legendY = TOP + 6;
        for (ChartSeries s : series) {
            String color = palette.color(s.name());
            StringBuilder pts = new StringBuilder();
            for (ChartPoint p : s.points()) {
                if (Double.isNaN(p.y())) continue;
                pts.append(Html.coord(x.px(p.x()))).append(',').append(Html.coord(y.px(p.y()))).append(' ');
            }
            b.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"1.6\" points=\"")
                    .append(pts.toString().trim()).append("\"/>");
            for (ChartPoint p : s.points()) {
                if (Double.isNaN(p.y())) continue;
                String cx = Html.coord(x.px(p.x())), cy = Html.coord(y.px(p.y()));
                if (p.marked()) {
                    b.append("<circle class=\"chosen\" cx=\"").append(cx).append("\" cy=\"").append(cy)
                            .append("\" r=\"7\" fill=\"none\" stroke=\"#C00\" stroke-width=\"2\"/>");
                }
                b.append("<circle class=\"point\"").append(p.attributes()).append(" cx=\"").append(cx).append("\" cy=\"")
                        .append(cy).append("\" r=\"3\" fill=\"").append(color).append("\"><title>").append(Html.esc(s.name()))
                        .append("</title></circle>");
            }
            b.append("<rect x=\"").append(W - RIGHT + 12).append("\" y=\"").append(legendY - 8).append("\" width=\"10\" height=\"10\" fill=\"")
                    .append(color).append("\"/><text class=\"legend\" x=\"").append(W - RIGHT + 26).append("\" y=\"").append(legendY)
                    .append("\">").append(Html.esc(s.name())).append("</text>");
            legendY += 16;
        }
        return b.append("</svg>").toString();
    }

    /** Axes, ticks (class tick: derived positions, not view values) and axis labels. */
    static void frame(StringBuilder b, Axis x, Axis y, boolean integerX, String xLabel, String yLabel) {
        double x0 = x.px(x.min), x1 = x.px(x.max), y0 = y.px(y.min), y1 = y.px(y.max);
        b.append("<line x1=\"").append(Html.coord(x0)).append("\" y1=\"").append(Html.coord(y0)).append("\" x2=\"").append(Html.coord(x1))
                .append("\" y2=\"").append(Html.coord(y0)).append("\" stroke=\"#444\"/>");
        b.append("<line x1=\"").append(Html.coord(x0)).append("\" y1=\"").append(Html.coord(y0)).append("\" x2=\"").append(Html.coord(x0))
                .append("\" y2=\"").append(Html.coord(y1)).append("\" stroke=\"#444\"/>");
        for (double t : x.ticks(integerX)) {
            b.append("<text class=\"tick\" text-anchor=\"middle\" x=\"").append(Html.coord(x.px(t))).append("\" y=\"")
                    .append(Html.coord(y0 + 14)).append("\">").append(Axis.label(t, integerX)).append("</text>");
        }
        for (double t : y.ticks(false)) {
            b.append("<line x1=\"").append(Html.coord(x0)).append("\" x2=\"").append(Html.coord(x1)).append("\" y1=\"")
                    .append(Html.coord(y.px(t))).append("\" y2=\"").append(Html.coord(y.px(t))).append("\" stroke=\"#eee\"/>");
            b.append("<text class=\"tick\" text-anchor=\"end\" x=\"").append(Html.coord(x0 - 4)).append("\" y=\"")
                    .append(Html.coord(y.px(t) + 4)).append("\">").append(Axis.label(t, false)).append("</text>");
        }
        b.append("<text class=\"axis\" text-anchor=\"middle\" x=\"").append(Html.coord((x0 + x1) / 2)).append("\" y=\"")
                .append(Html.coord(y0 + 32)).append("\">").append(Html.esc(xLabel)).append("</text>");
        b.append("<text class=\"axis\" text-anchor=\"middle\" transform=\"rotate(-90)\" x=\"").append(Html.coord(-(y0 + y1) / 2))
                .append("\" y=\"14\">").append(Html.esc(yLabel)).append("</text>");
    }
}
