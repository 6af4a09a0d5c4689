package taskvec.report;

/** One SQL view the report reads: its name and the order its rows are shown in. */
public record ReportView(String name, String orderBy) {}
