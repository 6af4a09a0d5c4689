package taskvec.workflow;

import java.util.List;
import taskvec.store.repo.Status;
import taskvec.store.repo.WorkItem;
import taskvec.workflow.plan.PlannedItem;

/** The study route's own steps: the run begins, and ends done or failed with what failed. */
public final class RunSteps {
    private final StudyWorkflow workflow;

    public RunSteps(StudyWorkflow workflow) {
        this.workflow = workflow;
    }

    public RunRef begin(RunRef run) {
        workflow.store().runs().setStatus(run.runId(), Status.RUNNING, null);
        return run;
    }

    public RunRef finish(RunRef run) {
        List<WorkItem> failed = workflow.store().workItems().failed(run.runId());
        if (failed.isEmpty()) {
            workflow.store().runs().setStatus(run.runId(), Status.DONE, null);
        } else {
            workflow.store().runs().setStatus(run.runId(), Status.FAILED, failedList(failed));
        }
        return run;
    }

    /** A stage threw (the store went away, a bug): the run ends failed; the caller reports the cause. */
    public RunRef crashed(RunRef run) {
        workflow.store().runs().setStatus(run.runId(), Status.FAILED, "a stage stopped with an error (see the command's output)");
        return run;
    }

    static String failedList(List<WorkItem> failed) {
        StringBuilder s = new StringBuilder(failed.size() + " work item(s) failed:");
        for (WorkItem w : failed) {
            s.append("\n  ").append(PlannedItem.describe(w.stage(), w.key().parts().get("item"))).append(": ").append(w.error());
        }
        return s.toString();
    }
}
