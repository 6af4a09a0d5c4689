package taskvec.report;

/** One SQL view the report reads: its name and the order its rows are shown in. */
public record ReportView(String name, String orderBy) {

    /** The query the report runs for one run (parameter 1: the run id). */
    public String query() {
        return "SELECT * FROM " + name + " WHERE run_id = ? ORDER BY " + orderBy;
    }
}
