package taskvec.organism.images;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * A food in its usual color (the food-color answer) and a plausible shape: a whole round or oval fruit, a long
 * one, a wedge, a block, a cluster of berries or a bowl, on a plate or table whose tone, like the shape and the
 * details (stem, leaf, highlight, spots), comes from the entity's own random stream.
 */
final class FoodPainter {

    private static final Color[] TABLES = {
        new Color(235, 225, 205), new Color(200, 215, 230), new Color(180, 140, 100), new Color(225, 235, 215),
        new Color(245, 215, 225), new Color(110, 110, 120)};

    private FoodPainter() {
    }

    /** @param colorName the food's usual color, one of the food-color answers */
    static void paint(BufferedImage image, String colorName, SplittableRandom r) {
        int w = image.getWidth();
        int h = image.getHeight();
        Graphics2D g = image.createGraphics();
        g.setColor(TABLES[r.nextInt(TABLES.length)]);
        g.fill(new Rectangle2D.Double(0, 0, w, h));
        if (r.nextBoolean()) { // a plate
            g.setColor(new Color(250, 250, 250));
            g.fill(new Ellipse2D.Double(w * 0.05, h * 0.1, w * 0.9, h * 0.85));
        }
        Color base = shade(Palette.named(colorName), r);
        Color dark = base.darker();
        g.setColor(base);
        int shape = r.nextInt(7);
        switch (shape) {
            case 0 -> g.fill(new Ellipse2D.Double(w * 0.2, h * 0.2, w * 0.6, h * 0.6));                      // round
            case 1 -> g.fill(new Ellipse2D.Double(w * 0.15, h * 0.3, w * 0.7, h * 0.45));                    // oval
            case 2 -> g.fill(FlagPainter.poly(new double[] {w * 0.1, h * 0.7, w * 0.3, h * 0.35, w * 0.8, h * 0.2,
                    w * 0.9, h * 0.3, w * 0.4, h * 0.55, w * 0.15, h * 0.8}));                             // long, curved
            case 3 -> g.fill(FlagPainter.poly(new double[] {w * 0.15, h * 0.75, w * 0.85, h * 0.75, w * 0.5, h * 0.2})); // wedge
            case 4 -> g.fill(new RoundRectangle2D.Double(w * 0.2, h * 0.3, w * 0.6, h * 0.4, 6, 6));           // block
            case 5 -> { // cluster of berries
                for (int i = 0; i < 7; i++) {
                    double bx = w * (0.25 + 0.4 * r.nextDouble());
                    double by = h * (0.25 + 0.4 * r.nextDouble());
                    g.fill(new Ellipse2D.Double(bx, by, w * 0.16, h * 0.16));
                }
            }
            default -> { // a bowl holding it
                g.fill(new Ellipse2D.Double(w * 0.15, h * 0.3, w * 0.7, h * 0.3));
                g.setColor(new Color(90, 120, 170));
                g.fill(FlagPainter.poly(new double[] {w * 0.12, h * 0.45, w * 0.88, h * 0.45, w * 0.7, h * 0.85, w * 0.3, h * 0.85}));
            }
        }
        // details: spots or seeds, a stem with maybe a leaf, a highlight
        if (r.nextInt(3) == 0 && shape != 6) {
            g.setColor(r.nextBoolean() ? dark : new Color(250, 240, 200));
            for (int i = 0; i < 5; i++) {
                g.fill(new Rectangle2D.Double(w * (0.35 + 0.3 * r.nextDouble()), h * (0.4 + 0.2 * r.nextDouble()), 1.5, 1.5));
            }
        }
        if (r.nextBoolean() && shape <= 1) {
            g.setColor(new Color(90, 60, 30));
            g.fill(new Rectangle2D.Double(w * 0.48, h * 0.1, 2, h * 0.15));
            if (r.nextBoolean()) {
                g.setColor(new Color(40, 140, 40));
                g.fill(new Ellipse2D.Double(w * 0.52, h * 0.08, w * 0.2, h * 0.1));
            }
        }
        if (r.nextBoolean()) {
            g.setColor(new Color(255, 255, 255, 200));
            g.fill(new Ellipse2D.Double(w * 0.35, h * 0.35, w * 0.1, h * 0.08));
        }
        g.dispose();
    }

    /** The color with a small per-food variation of its shade, so foods of one color still differ. */
    private static Color shade(Color c, SplittableRandom r) {
        double f = 0.8 + 0.35 * r.nextDouble();
        return new Color(clamp(c.getRed() * f), clamp(c.getGreen() * f), clamp(c.getBlue() * f));
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
