package taskvec.report;

import java.util.ArrayList;
import java.util.List;

/** Colours for categories, assigned in the order the categories are first seen (colour-blind safe set). */
final class Palette {
    private static final String[] COLORS = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9",
            "#F0E442", "#000000", "#999999", "#882255"};

    private final List<String> keys = new ArrayList<>();

    String color(String key) {
        int i = keys.indexOf(key);
        if (i < 0) {
            keys.add(key);
            i = keys.size() - 1;
        }
        return COLORS[i % COLORS.length];
    }

    List<String> keys() {
        return keys;
    }
}
