package taskvec.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import taskvec.store.key.ContentKey;
import taskvec.store.key.KeyPartChange;
import taskvec.store.repo.Stage;
import taskvec.store.repo.Status;
import taskvec.store.repo.WorkItem;
import taskvec.workflow.context.WorkflowInputException;
import taskvec.workflow.plan.PlannedItem;
import taskvec.workflow.stage.Stages;

/**
 * Why a stage of a run will run or be reused: its key as computed now (study, files, code) against
 * the key the run recorded, against finished stages of any run, and against the latest other run's
 * stage, naming the key parts that differ; and per item, how many would be reused.
 */
public final class Explainer {
    private final StudyWorkflow workflow;

    public Explainer(StudyWorkflow workflow) {
        this.workflow = workflow;
    }

    public List<String> explain(long runId, String onlyStage) {
        if (onlyStage != null && !Stages.names().contains(onlyStage)) {
            throw new WorkflowInputException("no stage '" + onlyStage + "' (stages: " + String.join(", ", Stages.names()) + ")");
        }
        StudyPlan plan = workflow.plan(runId);
        List<String> out = new ArrayList<>();
        for (String stage : Stages.names()) {
            if (onlyStage != null && !onlyStage.equals(stage)) continue;
            ContentKey now = plan.stageKey(stage);
            out.add(stage + ": key " + now.hash().substring(0, 12));
            Optional<Stage> recorded = workflow.store().stages().find(runId, stage);
            if (recorded.isPresent()) {
                List<KeyPartChange> changes = now.diff(recorded.get().key());
                out.add("  in this run: " + recorded.get().status().db()
                        + (changes.isEmpty() ? ", inputs unchanged since" : ", inputs changed since it ran:"));
                changes.forEach(c -> out.add("    " + c));
            } else {
                out.add("  in this run: not started");
            }
            Optional<Stage> finished = workflow.store().stages().findFinished(stage, now.hash());
            if (finished.isPresent() && finished.get().runId() != runId) {
                out.add("  will be reused: run " + finished.get().runId() + " finished it with the same key");
            } else {
                Optional<Stage> other = workflow.store().stages().findLatestOther(runId, stage);
                if (other.isPresent()) {
                    List<KeyPartChange> changes = now.diff(other.get().key());
                    out.add("  " + (changes.isEmpty() ? "same key as" : "differs from") + " run " + other.get().runId() + "'s " + stage
                            + (changes.isEmpty() ? "" : " in:"));
                    changes.forEach(c -> out.add("    " + c));
                } else {
                    out.add("  no other run has this stage");
                }
            }
            out.add("  items: " + itemSummary(runId, stage, plan.items(stage)));
        }
        return out;
    }

    private String itemSummary(long runId, String stage, List<PlannedItem> items) {
        int finishedHere = 0;
        int reusable = 0;
        int toRun = 0;
        List<WorkItem> here = workflow.store().workItems().list(runId, stage);
        for (PlannedItem item : items) {
            boolean done = here.stream().anyMatch(w -> w.key().equals(item.key()) && w.status().finished());
            if (done) {
                finishedHere++;
            } else if (workflow.store().workItems().findFinished(stage, item.key().hash()).isPresent()) {
                reusable++;
            } else {
                toRun++;
            }
        }
        String s = items.size() + " planned: " + finishedHere + " finished in this run, " + reusable + " reusable from other runs, "
                + toRun + " to run";
        long failed = here.stream().filter(w -> w.status() == Status.FAILED).count();
        return failed > 0 ? s + " (" + failed + " failed in this run)" : s;
    }
}
