package taskvec.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * An SVG scatter plot: colour by one category, shape by another (circle, square, triangle, ...),
 * filled or hollow by a third; legends for colours and shapes.
 */
final class ScatterChart {
    private static final int W = 620, H = 380, LEFT = 52, RIGHT = 190, TOP = 26, BOTTOM = 40;

    private ScatterChart() {}

    static String render(String title, List<ChartPoint> points, IntFunction<String> colorKey, IntFunction<String> shapeKey,
                         IntFunction<Boolean> hollow) {
        List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
        for (ChartPoint p : points) { xs.add(p.x()); ys.add(p.y()); }
        Axis x = Axis.over(xs, LEFT, W - RIGHT, false);
        Axis y = Axis.over(ys, H - BOTTOM, TOP, false);
        StringBuilder b = new StringBuilder();
        b.append("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(H)
                .append("\" viewBox=\"0 0 ").append(W).append(' ').append(H).append("\" role=\"img\"><title>").append(Html.esc(title))
                .append("</title><text x=\"").append(LEFT).append("\" y=\"16\" class=\"ctitle\">").append(Html.esc(title)).append("</text>");
        LineChart.frame(b, x, y, false, "component 1", "component 2");
        Palette colors = new Palette();
        List<String> shapes = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            ChartPoint p = points.get(i);
            String color = colors.color(colorKey.apply(i));
            String shape = shapeKey.apply(i);
            if (!shapes.contains(shape)) shapes.add(shape);
            boolean open = hollow.apply(i);
            String fill = open ? "none" : color;
            b.append(marker(shapes.indexOf(shape), x.px(p.x()), y.px(p.y()), fill, color,
                    " class=\"point\"" + p.attributes(), colorKey.apply(i) + " / " + shape));
        }
        int ly = TOP + 6;
        for (String k : colors.keys()) {
            b.append("<rect x=\"").append(W - RIGHT + 12).append("\" y=\"").append(ly - 8).append("\" width=\"10\" height=\"10\" fill=\"")
                    .append(colors.color(k)).append("\"/><text class=\"legend\" x=\"").append(W - RIGHT + 26).append("\" y=\"").append(ly)
                    .append("\">").append(Html.esc(k)).append("</text>");
            ly += 16;
        }
        ly += 6;
        for (int s = 0; s < shapes.size(); s++) {
            b.append(marker(s, W - RIGHT + 17, ly - 3, "#666", "#666", "", shapes.get(s)));
            b.append("<text class=\"legend\" x=\"").append(W - RIGHT + 26).append("\" y=\"").append(ly).append("\">")
                    .append(Html.esc(shapes.get(s))).append("</text>");
            ly += 16;
        }
        b.append("<text class=\"legend\" x=\"").append(W - RIGHT + 12).append("\" y=\"").append(ly + 4)
                .append("\">filled: task vector, hollow: context</text>");
        return b.append("</svg>").toString();
    }

    private static String marker(int shape, double cx, double cy, String fill, String stroke, String attrs, String title) {
        String common = attrs + " fill=\"" + fill + "\" stroke=\"" + stroke + "\" stroke-width=\"1.5\"";
        String t = "<title>" + Html.esc(title) + "</title>";
        return switch (shape % 3) {
            case 0 -> "<circle" + common + " cx=\"" + Html.coord(cx) + "\" cy=\"" + Html.coord(cy) + "\" r=\"4.5\">" + t + "</circle>";
            case 1 -> "<rect" + common + " x=\"" + Html.coord(cx - 4) + "\" y=\"" + Html.coord(cy - 4) + "\" width=\"8\" height=\"8\">" + t + "</rect>";
            default -> "<polygon" + common + " points=\"" + Html.coord(cx) + "," + Html.coord(cy - 5) + " " + Html.coord(cx - 5) + ","
                    + Html.coord(cy + 4) + " " + Html.coord(cx + 5) + "," + Html.coord(cy + 4) + "\">" + t + "</polygon>";
        };
    }
}
