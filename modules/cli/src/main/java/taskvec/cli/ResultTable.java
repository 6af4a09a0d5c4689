package taskvec.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import taskvec.report.CsvWriter;
import taskvec.store.repo.TextTable;

/** Rows of text under a header, printed as an aligned table or as CSV. */
final class ResultTable {

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    ResultTable(List<String> header) {
        this.header = List.copyOf(header);
    }

    static ResultTable of(TextTable t) {
        ResultTable table = new ResultTable(t.columns());
        t.rows().forEach(table::add);
        return table;
    }

    void add(List<String> row) {
        if (row.size() != header.size()) throw new IllegalStateException("row of " + row.size() + " cells under " + header);
        rows.add(new ArrayList<>(row));
    }

    int size() {
        return rows.size();
    }

    /** Columns padded to their widest cell; NULL shown as an empty cell; a "(N rows)" footer. */
    void printAligned(PrintWriter out) {
        int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = header.get(c).length();
            for (List<String> row : rows) width[c] = Math.max(width[c], cell(row.get(c)).length());
        }
        out.println(line(header, width));
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < width.length; c++) rule.append(c == 0 ? "" : "-+-").append("-".repeat(width[c]));
        out.println(rule);
        for (List<String> row : rows) out.println(line(row, width));
        out.println("(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
        out.flush();
    }

    /** Through the project's one CSV writer (NULL an empty cell). */
    void printCsv(PrintWriter out) {
        CsvWriter csv = new CsvWriter(out);
        csv.row(header);
        rows.forEach(csv::row);
        csv.flush();
    }

    private static String line(List<String> cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) b.append(" | ");
            String v = cell(cells.get(c));
            b.append(v).append(" ".repeat(width[c] - v.length()));
        }
        return b.toString().stripTrailing();
    }

    private static String cell(String v) {
        return v == null ? "" : v.replace("\n", "\\n");
    }
}
