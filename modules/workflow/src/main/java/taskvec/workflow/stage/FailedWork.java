package taskvec.workflow.stage;

import java.util.List;
import java.util.Set;
import taskvec.store.repo.WorkItem;
import taskvec.workflow.context.RunContext;
import taskvec.workflow.plan.PlannedItem;

/** Summaries and analyses need every result: they refuse a run with failed work, so a resume redoes them complete. */
final class FailedWork {
    private FailedWork() {}

    /** Throws if an item of a stage other than {@code except} failed; {@code what} says what needs the results. */
    static void refuse(RunContext ctx, Set<String> except, String what) {
        List<WorkItem> failed = ctx.store().workItems().failed(ctx.runId()).stream().filter(w -> !except.contains(w.stage())).toList();
        if (!failed.isEmpty()) {
            throw new IllegalStateException("the run has " + failed.size() + " failed work item(s) (first: "
                    + PlannedItem.describe(failed.get(0).stage(), failed.get(0).key().parts().get("item")) + "); " + what + " every result");
        }
    }
}
