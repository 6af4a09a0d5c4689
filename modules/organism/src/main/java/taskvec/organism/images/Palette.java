package taskvec.organism.images;

import java.awt.Color;
import java.util.Map;

/** Named colors shared by the painters: flag colors, and the food colors the food-color task uses. */
final class Palette {

    private static final Map<String, Color> COLORS = Map.ofEntries(
            Map.entry("red", new Color(206, 17, 38)),
            Map.entry("crimson", new Color(170, 20, 50)),
            Map.entry("maroon", new Color(130, 30, 40)),
            Map.entry("white", new Color(255, 255, 255)),
            Map.entry("blue", new Color(0, 56, 168)),
            Map.entry("navy", new Color(1, 33, 105)),
            Map.entry("lblue", new Color(100, 170, 230)),
            Map.entry("aqua", new Color(0, 170, 190)),
            Map.entry("green", new Color(0, 140, 70)),
            Map.entry("dkgreen", new Color(0, 90, 50)),
            Map.entry("yellow", new Color(255, 215, 0)),
            Map.entry("gold", new Color(230, 170, 20)),
            Map.entry("orange", new Color(255, 130, 0)),
            Map.entry("black", new Color(0, 0, 0)),
            Map.entry("brown", new Color(120, 70, 30)),
            Map.entry("grey", new Color(150, 150, 150)),
            Map.entry("purple", new Color(110, 40, 140)),
            Map.entry("pink", new Color(240, 120, 170)),
            Map.entry("tan", new Color(210, 180, 140)));

    private Palette() {
    }

    static Color named(String name) {
        Color c = COLORS.get(name);
        if (c == null) {
            throw new IllegalArgumentException("unknown color '" + name + "'");
        }
        return c;
    }

    static boolean has(String name) {
        return COLORS.containsKey(name);
    }
}
