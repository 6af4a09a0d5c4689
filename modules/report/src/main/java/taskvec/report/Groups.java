package taskvec.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rows of a view grouped by a key made of some of their columns, groups in first-seen order. */
final class Groups {
    private Groups() {}

    static Map<String, List<Integer>> by(ViewTable t, String... columns) {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        for (int r = 0; r < t.size(); r++) out.computeIfAbsent(key(t, r, columns), k -> new ArrayList<>()).add(r);
        return out;
    }

    static String key(ViewTable t, int row, String... columns) {
        StringBuilder b = new StringBuilder();
        for (String c : columns) {
            if (b.length() > 0) b.append(" / ");
            b.append(Cells.format(t.get(row, c)));
        }
        return b.toString();
    }
}
