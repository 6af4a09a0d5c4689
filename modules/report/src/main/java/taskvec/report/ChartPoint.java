package taskvec.report;

/**
 * A drawn data point and where its numbers come from: row {@code row} of {@code view}, columns
 * {@code xColumn} and {@code yColumn}. marked draws a ring around it (a chosen layer).
 */
record ChartPoint(ViewTable view, int row, String xColumn, String yColumn, boolean marked) {

    double x() {
        return view.number(row, xColumn);
    }

    double y() {
        return view.number(row, yColumn);
    }

    /** The data attributes that tie the point to its view's values. */
    String attributes() {
        return " data-view=\"" + view.view() + "\" data-row=\"" + row + "\" data-x-col=\"" + xColumn + "\" data-y-col=\""
                + yColumn + "\" data-x=\"" + Cells.format(view.get(row, xColumn)) + "\" data-y=\""
                + Cells.format(view.get(row, yColumn)) + "\"";
    }
}
