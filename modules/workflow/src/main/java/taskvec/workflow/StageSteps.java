package taskvec.workflow;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import taskvec.store.key.KeyPartChange;
import taskvec.store.repo.ItemRows;
import taskvec.store.repo.Stage;
import taskvec.store.repo.Status;
import taskvec.store.repo.WorkItem;
import taskvec.workflow.context.RunContext;
import taskvec.workflow.context.WorkflowInputException;
import taskvec.workflow.plan.PlannedItem;
import taskvec.workflow.stage.Stages;

/**
 * The steps of one stage's route, the same for every stage: plan (record the stage's key and its
 * keyed items, reuse what finished elsewhere with the same key), work (claim and do items until
 * none is left), planFollowUp (a stage that plans more items from its first results: evaluate's
 * test items), close (done, reused, or failed listing its failed items). A plain bean: the routes
 * name its methods.
 */
public class StageSteps {
    private final StudyWorkflow workflow;
    private final taskvec.workflow.stage.Stage stage;

    public StageSteps(StudyWorkflow workflow, taskvec.workflow.stage.Stage stage) {
        this.workflow = workflow;
        this.stage = stage;
    }

    public RunRef plan(RunRef run) {
        RunContext ctx = workflow.context(run.runId());
        StudyPlan plan = workflow.plan(run.runId());
        workflow.store().stages().begin(run.runId(), stage.name(), plan.stageKey(stage.name()));
        addItems(ctx, plan.items(stage.name()));
        return run;
    }

    /** Once every first item finished, the items planned from their results; nothing when one failed. */
    public RunRef planFollowUp(RunRef run) {
        for (WorkItem w : workflow.store().workItems().list(run.runId(), stage.name())) {
            if (!w.status().finished()) return run;
        }
        addItems(workflow.context(run.runId()), workflow.plan(run.runId()).followUp(stage.name()));
        return run;
    }

    /**
     * Adds items and reuses finished work with the same keys. Unfinished items of an earlier
     * attempt that are not planned now go: their inputs changed (a follow-up item's keys also
     * depend on the first items' results, so unfinished ones go when the first items are planned).
     */
    private void addItems(RunContext ctx, List<PlannedItem> items) {
        long runId = ctx.runId();
        List<String> keys = items.stream().map(i -> i.key().hash()).toList();
        String split = items.isEmpty() || items.get(0).item().get("split") == null ? null : items.get(0).item().get("split").asText();
        refuseChangedFinishedItems(runId, items, keys, split);
        workflow.store().workItems().dropUnfinished(runId, stage.name(), keys);
        workflow.store().workItems().addAll(runId, stage.name(), items.stream().map(PlannedItem::key).toList(), workflow.options().maxAttempts());
        if (!workflow.options().fresh()) reuse(ctx, keys);
        report(runId);
    }

    private void reuse(RunContext ctx, List<String> keys) {
        var repo = workflow.store().workItems();
        var outputs = workflow.store().itemOutputs();
        for (WorkItem item : repo.list(ctx.runId(), stage.name())) {
            if (item.status() != Status.PENDING || !keys.contains(item.key().hash())) continue;
            Optional<WorkItem> done = repo.findFinished(stage.name(), item.key().hash());
            if (done.isEmpty() || done.get().runId() == ctx.runId()) continue;
            ItemRows rows = stage.outputs(item.key().parts().get("item"));
            int expected = stage.expectedOutputs(ctx, item.key().parts());
            if (!outputs.intact(done.get().runId(), rows, expected)) continue; // damaged or deleted: run it again
            outputs.copy(done.get().runId(), ctx.runId(), ctx.target().name(), rows);
            if (outputs.intact(ctx.runId(), rows, expected)) repo.markReused(item.id(), done.get().id());
        }
    }

    public RunRef work(RunRef run) {
        var repo = workflow.store().workItems();
        ItemRunner runner = new ItemRunner(workflow);
        long orphansCheckedAt = 0;
        while (true) {
            if (workflow.stopping()) throw new IllegalStateException("run " + run.runId() + " interrupted: the process is being stopped");
            Optional<WorkItem> claimed = DatabaseRetry.retrying("claiming a " + stage.name() + " item",
                    () -> repo.claim(run.runId(), stage.name(), workflow.options().workerName(), workflow.options().lease()));
            if (claimed.isPresent()) {
                runner.run(claimed.get());
                DatabaseRetry.retrying("progress", () -> report(run.runId()));
                continue;
            }
            Map<Status, Integer> counts = DatabaseRetry.retrying("counting " + stage.name() + " items",
                    () -> repo.counts(run.runId(), stage.name()));
            if (counts.get(Status.PENDING) + counts.get(Status.RUNNING) == 0) return run;
            // others hold the remaining items; those of a local process that died come back now, not after their lease
            if (System.currentTimeMillis() - orphansCheckedAt > ORPHAN_CHECK_MS) {
                DatabaseRetry.retrying("requeueing items of killed processes", () -> workflow.requeueOrphans(run.runId()));
                orphansCheckedAt = System.currentTimeMillis();
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + stage.name() + " items held by other workers", e);
            }
            DatabaseRetry.retrying("progress", () -> report(run.runId()));
        }
    }

    /** How often a waiting run looks for items held by killed local processes. */
    private static final long ORPHAN_CHECK_MS = 2000;

    public RunRef close(RunRef run) {
        var repo = workflow.store().workItems();
        String name = stage.name();
        Map<Status, Integer> counts = repo.counts(run.runId(), name);
        List<WorkItem> failed = repo.failed(run.runId()).stream().filter(w -> w.stage().equals(name)).toList();
        Stage row = workflow.store().stages().find(run.runId(), name).orElseThrow();
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        if (!failed.isEmpty()) {
            StringBuilder error = new StringBuilder(failed.size() + " of " + total + " items failed:");
            for (WorkItem w : failed) error.append("\n  ").append(PlannedItem.describe(name, w.key().parts().get("item"))).append(": ").append(w.error());
            workflow.store().stages().finish(row.id(), Status.FAILED, error.toString());
        } else if (total > 0 && counts.get(Status.REUSED) == total) {
            Optional<Stage> from = workflow.store().stages().findFinished(name, row.key().hash());
            if (from.isPresent() && from.get().runId() != run.runId()) {
                workflow.store().stages().markReused(run.runId(), name, row.key(), from.get().id());
            } else {
                workflow.store().stages().finish(row.id(), Status.DONE, null);
            }
        } else {
            workflow.store().stages().finish(row.id(), Status.DONE, null);
        }
        workflow.options().progress().stageEnded(run.runId(), name, counts.get(Status.DONE) + " done, " + counts.get(Status.REUSED)
                + " reused, " + counts.get(Status.FAILED) + " failed");
        return run;
    }

    private void report(long runId) {
        Map<Status, Integer> c = workflow.store().workItems().counts(runId, stage.name());
        int total = c.values().stream().mapToInt(Integer::intValue).sum();
        workflow.options().progress().progress(runId, stage.name(), c.get(Status.DONE) + c.get(Status.REUSED) + c.get(Status.FAILED), total);
    }

    /**
     * A finished item of this run whose key is no longer planned means its inputs changed since
     * it ran: its outputs would mix with new ones, so the run cannot resume. Only items of the
     * split being planned are compared (evaluate plans val and test apart).
     */
    private void refuseChangedFinishedItems(long runId, List<PlannedItem> items, List<String> keys, String split) {
        for (WorkItem w : workflow.store().workItems().list(runId, stage.name())) {
            if (!w.status().finished() || keys.contains(w.key().hash())) continue;
            String itemSplit = w.key().parts().get("item").path("split").asText(null);
            if (split != null && itemSplit != null && !split.equals(itemSplit)) continue;
            String changes = items.stream().filter(i -> i.item().equals(w.key().parts().get("item"))).findFirst()
                    .map(i -> i.key().diff(w.key()).stream().map(KeyPartChange::toString).toList().toString())
                    .orElse("[the item is no longer part of the study]");
            throw new WorkflowInputException("run " + runId + ": " + PlannedItem.describe(stage.name(), w.key().parts().get("item"))
                    + " finished with inputs that have changed since " + changes + "; start a new run (explain shows what changed)");
        }
    }
}
