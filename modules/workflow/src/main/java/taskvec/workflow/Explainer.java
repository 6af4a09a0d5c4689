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

    /**
     * One stage's explanation.
     *
     * @param key             the stage's key hash as computed now
     * @param statusInRun     the stage's status in this run, null when not started
     * @param changedSinceRun key parts that differ from the key this run recorded
     * @param reusedFromRun   the run whose finished stage has the same key (it will be reused), or null
     * @param comparedRun     otherwise the latest other run with this stage, or null
     * @param changedFromCompared key parts that differ from that run's stage
     */
    public record StageExplanation(String stage, String key, String statusInRun, List<KeyPartChange> changedSinceRun,
                                   Long reusedFromRun, Long comparedRun, List<KeyPartChange> changedFromCompared,
                                   ItemCounts items) {

        /** The text `taskvec explain` prints for the stage. */
        public List<String> lines() {
            List<String> out = new ArrayList<>();
            out.add(stage + ": key " + key.substring(0, 12));
            if (statusInRun == null) {
                out.add("  in this run: not started");
            } else {
                out.add("  in this run: " + statusInRun
                        + (changedSinceRun.isEmpty() ? ", inputs unchanged since" : ", inputs changed since it ran:"));
                changedSinceRun.forEach(c -> out.add("    " + c));
            }
            if (reusedFromRun != null) {
                out.add("  will be reused: run " + reusedFromRun + " finished it with the same key");
            } else if (comparedRun != null) {
                boolean same = changedFromCompared.isEmpty();
                out.add("  " + (same ? "same key as" : "differs from") + " run " + comparedRun + "'s " + stage + (same ? "" : " in:"));
                changedFromCompared.forEach(c -> out.add("    " + c));
            } else {
                out.add("  no other run has this stage");
            }
            out.add("  items: " + items);
            return out;
        }
    }

    /** What would happen to a stage's planned items. */
    public record ItemCounts(int planned, int finishedHere, int reusable, int toRun, long failedHere) {
        @Override
        public String toString() {
            String s = planned + " planned: " + finishedHere + " finished in this run, " + reusable + " reusable from other runs, "
                    + toRun + " to run";
            return failedHere > 0 ? s + " (" + failedHere + " failed in this run)" : s;
        }
    }

    private final StudyWorkflow workflow;

    public Explainer(StudyWorkflow workflow) {
        this.workflow = workflow;
    }

    /** The explanation of every stage of the run, or of one. */
    public List<StageExplanation> explain(long runId, String onlyStage) {
        if (onlyStage != null && !Stages.names().contains(onlyStage)) {
            throw new WorkflowInputException("no stage '" + onlyStage + "' (stages: " + String.join(", ", Stages.names()) + ")");
        }
        StudyPlan plan = workflow.plan(runId);
        List<StageExplanation> out = new ArrayList<>();
        for (String stage : Stages.names()) {
            if (onlyStage == null || onlyStage.equals(stage)) {
                out.add(explainStage(runId, stage, plan.stageKey(stage), plan.items(stage)));
            }
        }
        return out;
    }

    private StageExplanation explainStage(long runId, String stage, ContentKey now, List<PlannedItem> items) {
        Optional<Stage> recorded = workflow.store().stages().find(runId, stage);
        Optional<Stage> finished = workflow.store().stages().findFinished(stage, now.hash());
        Long reusedFrom = finished.isPresent() && finished.get().runId() != runId ? finished.get().runId() : null;
        Optional<Stage> other = reusedFrom != null ? Optional.empty() : workflow.store().stages().findLatestOther(runId, stage);
        return new StageExplanation(stage, now.hash(),
                recorded.map(s -> s.status().db()).orElse(null),
                recorded.map(s -> now.diff(s.key())).orElse(List.of()),
                reusedFrom,
                other.map(Stage::runId).orElse(null),
                other.map(s -> now.diff(s.key())).orElse(List.of()),
                itemCounts(runId, stage, items));
    }

    private ItemCounts itemCounts(long runId, String stage, List<PlannedItem> items) {
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
        long failed = here.stream().filter(w -> w.status() == Status.FAILED).count();
        return new ItemCounts(items.size(), finishedHere, reusable, toRun, failed);
    }
}
