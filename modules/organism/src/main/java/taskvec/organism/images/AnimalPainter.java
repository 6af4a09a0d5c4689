package taskvec.organism.images;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * A distinctive procedural animal picture: a habitat background (sky over ground), a body with head, legs, ears
 * and tail, a coat pattern, all chosen by the entity's own random stream, so every species gets its own picture.
 */
final class AnimalPainter {

    private static final Color[] SKIES = {
        new Color(150, 200, 240), new Color(235, 235, 225), new Color(250, 190, 120), new Color(120, 130, 150),
        new Color(200, 230, 255), new Color(40, 50, 90)};
    private static final Color[] GROUNDS = {
        new Color(70, 150, 60), new Color(210, 190, 130), new Color(40, 100, 180), new Color(245, 245, 250),
        new Color(110, 80, 50), new Color(30, 90, 40), new Color(160, 160, 150)};
    private static final Color[] COATS = {
        new Color(120, 80, 40), new Color(200, 160, 90), new Color(90, 90, 90), new Color(30, 30, 30),
        new Color(240, 240, 235), new Color(220, 120, 40), new Color(170, 170, 180), new Color(90, 120, 60),
        new Color(200, 60, 50), new Color(240, 200, 60), new Color(60, 90, 160), new Color(150, 100, 150)};

    private AnimalPainter() {
    }

    static void paint(BufferedImage image, SplittableRandom r) {
        int w = image.getWidth();
        int h = image.getHeight();
        Graphics2D g = image.createGraphics();
        double horizon = h * (0.45 + 0.25 * r.nextDouble());
        g.setColor(SKIES[r.nextInt(SKIES.length)]);
        g.fill(new Rectangle2D.Double(0, 0, w, horizon));
        g.setColor(GROUNDS[r.nextInt(GROUNDS.length)]);
        g.fill(new Rectangle2D.Double(0, horizon, w, h - horizon));

        Color coat = COATS[r.nextInt(COATS.length)];
        Color mark = COATS[r.nextInt(COATS.length)];
        double bodyW = w * (0.35 + 0.3 * r.nextDouble());
        double bodyH = h * (0.18 + 0.22 * r.nextDouble());
        double cx = w * (0.45 + 0.1 * r.nextDouble());
        double cy = h * (0.5 + 0.1 * r.nextDouble());
        boolean faceRight = r.nextBoolean();
        int legs = new int[] {0, 2, 4, 4, 6}[r.nextInt(5)];
        double legLen = h * (0.08 + 0.15 * r.nextDouble());
        g.setColor(coat.darker());
        for (int i = 0; i < legs; i++) {
            double lx = cx - bodyW * 0.4 + i * bodyW * 0.8 / Math.max(1, legs - 1);
            g.fill(new Rectangle2D.Double(lx - 1, cy, 2, bodyH / 2 + legLen));
        }
        g.setColor(coat);
        g.fill(new Ellipse2D.Double(cx - bodyW / 2, cy - bodyH / 2, bodyW, bodyH));
        // coat pattern
        g.setColor(mark);
        switch (r.nextInt(4)) {
            case 0 -> { // spots
                for (int i = 0; i < 4; i++) {
                    double sx = cx - bodyW / 3 + r.nextDouble() * bodyW * 2 / 3;
                    double sy = cy - bodyH / 4 + r.nextDouble() * bodyH / 2;
                    g.fill(new Ellipse2D.Double(sx - 1.5, sy - 1.5, 3, 3));
                }
            }
            case 1 -> { // stripes
                for (int i = -2; i <= 2; i++) {
                    g.fill(new Rectangle2D.Double(cx + i * bodyW / 6 - 0.75, cy - bodyH / 2 + 1, 1.5, bodyH - 2));
                }
            }
            case 2 -> g.fill(new Ellipse2D.Double(cx - bodyW / 3, cy, bodyW * 2 / 3, bodyH / 2)); // belly
            default -> { // plain coat
            }
        }
        // head, ears, eye, tail
        double headR = h * (0.09 + 0.08 * r.nextDouble());
        double neck = r.nextDouble() * h * 0.15;
        double hx = cx + (faceRight ? 1 : -1) * (bodyW / 2 + headR * 0.4);
        double hy = cy - bodyH / 3 - neck;
        g.setColor(coat);
        if (neck > 1) {
            g.fill(new Rectangle2D.Double(Math.min(hx, cx + (faceRight ? bodyW / 3 : -bodyW / 3)) , hy, Math.abs(hx - cx) - bodyW / 3 + 2, neck + bodyH / 3));
        }
        g.fill(new Ellipse2D.Double(hx - headR, hy - headR, 2 * headR, 2 * headR));
        int ears = r.nextInt(3);
        g.setColor(ears == 2 ? mark : coat.darker());
        if (ears > 0) {
            g.fill(FlagPainter.poly(new double[] {hx - headR, hy - headR * 0.3, hx - headR * 0.5, hy - headR * 2.0, hx, hy - headR * 0.5}));
            g.fill(FlagPainter.poly(new double[] {hx, hy - headR * 0.5, hx + headR * 0.5, hy - headR * 2.0, hx + headR, hy - headR * 0.3}));
        }
        g.setColor(Color.BLACK);
        g.fill(new Rectangle2D.Double(hx + (faceRight ? headR * 0.3 : -headR * 0.3) - 1, hy - 1, 2, 2));
        g.setColor(r.nextBoolean() ? coat : mark);
        double tx = cx - (faceRight ? 1 : -1) * bodyW / 2;
        double tailLen = w * (0.05 + 0.2 * r.nextDouble());
        g.fill(new Rectangle2D.Double(faceRight ? tx - tailLen : tx, cy - bodyH / 4 - r.nextInt(3), tailLen, 2));
        g.dispose();
    }
}
