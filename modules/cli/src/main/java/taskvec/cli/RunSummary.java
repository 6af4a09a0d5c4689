package taskvec.cli;

import java.io.PrintWriter;
import java.util.Map;
import taskvec.store.Store;
import taskvec.store.repo.ResultViews;
import taskvec.store.repo.Status;
import taskvec.workflow.RunOutcome;

/** What run and resume print at the end: the run, how its items went, where the database is, the main table. */
final class RunSummary {
    private RunSummary() {}

    static void print(PrintWriter out, Store store, RunOutcome o) {
        out.println();
        out.println("run " + o.runId() + ": " + o.status().db() + (o.millis() > 0 ? " in " + String.format("%.1f", o.millis() / 1000.0) + " s" : ""));
        for (Map.Entry<String, Map<Status, Integer>> e : o.items().entrySet()) {
            Map<Status, Integer> c = e.getValue();
            out.println(String.format("  %-9s %3d done, %3d reused, %3d failed", e.getKey(), c.get(Status.DONE), c.get(Status.REUSED),
                    c.get(Status.FAILED)));
        }
        int done = o.count(Status.DONE);
        int reused = o.count(Status.REUSED);
        if (done == 0 && reused > 0) out.println("  all " + reused + " work items reused from earlier runs with the same keys (nothing recomputed)");
        if (!o.failed().isEmpty()) {
            out.println("failed work items:");
            o.failed().forEach(f -> out.println("  " + f));
        }
        out.println("database: " + store.describe());
        for (ResultViews.TitledTable t : store.views().runSummaryText(o.runId())) {
            out.println(t.title() + ":");
            ResultTable table = ResultTable.of(t.table());
            if (table.size() == 0) out.println("  (none in this run)");
            else table.printAligned(out);
        }
        out.println("more: ./taskvec status " + o.runId() + "; ./taskvec sql \"select * from paper_main_table where run_id = " + o.runId() + "\"");
        out.flush();
    }
}
