package taskvec.organism.images;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;

/**
 * Draws a flag from a short description, commands separated by ';', coordinates as fractions of the image:
 * {@code h c1 c2*2 c3} horizontal stripes (a *w suffix weights a stripe), {@code v ...} vertical stripes,
 * {@code rect c x y w h}, {@code disc c cx cy r}, {@code star c cx cy r}, {@code tri c depth} (a triangle at the
 * hoist), {@code nordic c thick} (a Nordic cross), {@code plus c cx cy len thick}, {@code diag c thick}
 * (lower hoist to upper fly), {@code adiag c thick}, {@code diamond c}, {@code crescent c cx cy r bg}
 * (a disc cut by a disc of the background color), {@code poly c x1 y1 x2 y2 ...}, {@code ukjack x y w h}.
 */
final class FlagPainter {

    private FlagPainter() {
    }

    static void paint(BufferedImage image, String description) {
        Graphics2D g = image.createGraphics();
        double w = image.getWidth();
        double h = image.getHeight();
        for (String command : description.split(";")) {
            String[] a = command.trim().split("\\s+");
            if (a.length == 0 || a[0].isEmpty()) {
                continue;
            }
            try {
                draw(g, a, w, h);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("flag command '" + command.trim() + "': " + e.getMessage(), e);
            }
        }
        g.dispose();
    }

    private static void draw(Graphics2D g, String[] a, double w, double h) {
        switch (a[0]) {
            case "h" -> stripes(g, a, w, h, true);
            case "v" -> stripes(g, a, w, h, false);
            case "rect" -> {
                g.setColor(Palette.named(a[1]));
                g.fill(new Rectangle2D.Double(d(a[2]) * w, d(a[3]) * h, d(a[4]) * w, d(a[5]) * h));
            }
            case "disc" -> {
                g.setColor(Palette.named(a[1]));
                double r = d(a[4]) * h;
                g.fill(new Ellipse2D.Double(d(a[2]) * w - r, d(a[3]) * h - r, 2 * r, 2 * r));
            }
            case "star" -> {
                g.setColor(Palette.named(a[1]));
                g.fill(star(d(a[2]) * w, d(a[3]) * h, d(a[4]) * h));
            }
            case "tri" -> {
                g.setColor(Palette.named(a[1]));
                g.fill(poly(new double[] {0, 0, d(a[2]) * w, h / 2, 0, h}));
            }
            case "nordic" -> {
                g.setColor(Palette.named(a[1]));
                double t = d(a[2]) * h;
                g.fill(new Rectangle2D.Double(0, h / 2 - t / 2, w, t));
                g.fill(new Rectangle2D.Double(0.36 * w - t / 2, 0, t, h));
            }
            case "plus" -> {
                g.setColor(Palette.named(a[1]));
                double cx = d(a[2]) * w;
                double cy = d(a[3]) * h;
                double len = d(a[4]) * h;
                double t = d(a[5]) * h;
                g.fill(new Rectangle2D.Double(cx - len / 2, cy - t / 2, len, t));
                g.fill(new Rectangle2D.Double(cx - t / 2, cy - len / 2, t, len));
            }
            case "diag", "adiag" -> {
                g.setColor(Palette.named(a[1]));
                double t = d(a[2]) * h / 2;
                boolean up = a[0].equals("diag");
                double y0 = up ? h : 0;
                double y1 = up ? 0 : h;
                g.fill(poly(new double[] {0, y0 - t * (up ? 1 : -1) * 1.4, 0, y0, t * 1.4, y0, w, y1 + t * (up ? 1 : -1) * 1.4,
                        w, y1, w - t * 1.4, y1}));
            }
            case "diamond" -> {
                g.setColor(Palette.named(a[1]));
                g.fill(poly(new double[] {0.08 * w, h / 2, w / 2, 0.1 * h, 0.92 * w, h / 2, w / 2, 0.9 * h}));
            }
            case "crescent" -> {
                double r = d(a[4]) * h;
                double cx = d(a[2]) * w;
                double cy = d(a[3]) * h;
                g.setColor(Palette.named(a[1]));
                g.fill(new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r));
                g.setColor(Palette.named(a[5]));
                double r2 = r * 0.8;
                g.fill(new Ellipse2D.Double(cx - r2 + r * 0.35, cy - r2, 2 * r2, 2 * r2));
            }
            case "poly" -> {
                g.setColor(Palette.named(a[1]));
                double[] xy = new double[a.length - 2];
                for (int i = 0; i < xy.length; i++) {
                    xy[i] = d(a[i + 2]) * (i % 2 == 0 ? w : h);
                }
                g.fill(poly(xy));
            }
            case "ukjack" -> unionJack(g, d(a[1]) * w, d(a[2]) * h, d(a[3]) * w, d(a[4]) * h);
            default -> throw new IllegalArgumentException("unknown command '" + a[0] + "'");
        }
    }

    private static void stripes(Graphics2D g, String[] a, double w, double h, boolean horizontal) {
        double total = 0;
        for (int i = 1; i < a.length; i++) {
            total += weight(a[i]);
        }
        double at = 0;
        for (int i = 1; i < a.length; i++) {
            double size = weight(a[i]) / total * (horizontal ? h : w);
            g.setColor(Palette.named(a[i].split("\\*")[0]));
            // stripes end on whole pixels so neighbours never leave a gap
            double start = Math.floor(at + 0.5);
            double end = Math.floor(at + size + 0.5);
            g.fill(horizontal ? new Rectangle2D.Double(0, start, w, end - start) : new Rectangle2D.Double(start, 0, end - start, h));
            at += size;
        }
    }

    private static double weight(String stripe) {
        String[] p = stripe.split("\\*");
        return p.length == 2 ? Double.parseDouble(p[1]) : 1.0;
    }

    private static void unionJack(Graphics2D g, double x, double y, double w, double h) {
        Graphics2D c = (Graphics2D) g.create();
        c.clip(new Rectangle2D.Double(x, y, w, h));
        c.translate(x, y);
        c.setColor(Palette.named("navy"));
        c.fill(new Rectangle2D.Double(0, 0, w, h));
        double t = h * 0.2;
        c.setColor(Palette.named("white"));
        c.fill(poly(new double[] {0, 0, t, 0, w, h - t, w, h, w - t, h, 0, t}));
        c.fill(poly(new double[] {w, 0, w, t, t, h, 0, h, 0, h - t, w - t, 0}));
        c.setColor(Palette.named("red"));
        double s = t * 0.4;
        c.fill(poly(new double[] {0, 0, s, 0, w, h - s, w, h, w - s, h, 0, s}));
        c.fill(poly(new double[] {w, 0, w, s, s, h, 0, h, 0, h - s, w - s, 0}));
        c.setColor(Palette.named("white"));
        c.fill(new Rectangle2D.Double(0, h * 0.35, w, h * 0.3));
        c.fill(new Rectangle2D.Double(w / 2 - h * 0.15, 0, h * 0.3, h));
        c.setColor(Palette.named("red"));
        c.fill(new Rectangle2D.Double(0, h * 0.4, w, h * 0.2));
        c.fill(new Rectangle2D.Double(w / 2 - h * 0.1, 0, h * 0.2, h));
        c.dispose();
    }

    static Polygon star(double cx, double cy, double r) {
        double[] xy = new double[20];
        for (int i = 0; i < 10; i++) {
            double radius = i % 2 == 0 ? r : r * 0.45;
            double angle = -Math.PI / 2 + i * Math.PI / 5;
            xy[2 * i] = cx + radius * Math.cos(angle);
            xy[2 * i + 1] = cy + radius * Math.sin(angle);
        }
        return poly(xy);
    }

    static Polygon poly(double[] xy) {
        Polygon p = new Polygon();
        for (int i = 0; i < xy.length; i += 2) {
            p.addPoint((int) Math.round(xy[i]), (int) Math.round(xy[i + 1]));
        }
        return p;
    }

    private static double d(String s) {
        return Double.parseDouble(s);
    }

    /** The color of a name, for painters that share the palette. */
    static Color color(String name) {
        return Palette.named(name);
    }
}
