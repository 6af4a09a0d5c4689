package taskvec.workflow;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import taskvec.store.key.ContentKey;
import taskvec.store.key.KeyPartChange;
import taskvec.store.repo.Stage;
import taskvec.store.repo.Status;
import taskvec.store.repo.WorkItem;
import taskvec.workflow.plan.PlannedItem;
import taskvec.workflow.stage.ItemWork;

/**
 * The steps of one stage's route: plan (record the stage's key and its keyed items, reuse what
 * finished elsewhere with the same key), work (claim and do items until none is left), close
 * (done, reused, or failed listing its failed items). A plain bean: the route names its methods.
 */
public class StageSteps {
    protected final StudyWorkflow workflow;
    protected final String stage;

    public StageSteps(StudyWorkflow workflow, String stage) {
        this.workflow = workflow;
        this.stage = stage;
    }

    public RunRef plan(RunRef run) {
        RunContext ctx = workflow.context(run.runId());
        workflow.store().stages().begin(run.runId(), stage, workflow.plan(run.runId()).stageKey(stage));
        addItems(ctx, workflow.plan(run.runId()).items(stage));
        return run;
    }

    /** Adds items (dropping stale unfinished ones of an earlier attempt) and reuses finished work with the same keys. */
    protected void addItems(RunContext ctx, List<PlannedItem> items) {
        long runId = ctx.runId();
        List<String> keys = items.stream().map(i -> i.key().hash()).toList();
        refuseChangedFinishedItems(runId, items, keys);
        dropStale(runId, keys, items.isEmpty() || items.get(0).item().get("split") == null ? null : items.get(0).item().get("split").asText());
        workflow.store().workItems().addAll(runId, stage, items.stream().map(PlannedItem::key).toList(), workflow.options().maxAttempts());
        if (!workflow.options().fresh()) reuse(ctx, keys);
        report(runId);
    }

    private void reuse(RunContext ctx, List<String> keys) {
        var repo = workflow.store().workItems();
        ItemOutputs outputs = new ItemOutputs(workflow.store().dataSource());
        for (WorkItem item : repo.list(ctx.runId(), stage)) {
            if (item.status() != Status.PENDING || !keys.contains(item.key().hash())) continue;
            Optional<WorkItem> done = repo.findFinished(stage, item.key().hash());
            if (done.isEmpty() || done.get().runId() == ctx.runId()) continue;
            var what = item.key().parts().get("item");
            int expected = ItemWork.of(stage, what).expectedOutputs(ctx, item.key().parts());
            if (!outputs.intact(done.get().runId(), stage, what, expected)) continue; // damaged or deleted: run it again
            outputs.copy(done.get().runId(), ctx.runId(), ctx.modelName(), stage, what);
            if (outputs.intact(ctx.runId(), stage, what, expected)) repo.markReused(item.id(), done.get().id());
        }
    }

    public RunRef work(RunRef run) {
        var repo = workflow.store().workItems();
        ItemRunner runner = new ItemRunner(workflow);
        long orphansCheckedAt = 0;
        while (true) {
            if (workflow.stopping()) throw new IllegalStateException("run " + run.runId() + " interrupted: the process is being stopped");
            Optional<WorkItem> claimed = DatabaseRetry.retrying("claiming a " + stage + " item",
                    () -> repo.claim(run.runId(), stage, workflow.options().workerName(), workflow.options().lease()));
            if (claimed.isPresent()) {
                runner.run(claimed.get());
                DatabaseRetry.retrying("progress", () -> report(run.runId()));
                continue;
            }
            Map<Status, Integer> counts = DatabaseRetry.retrying("counting " + stage + " items", () -> repo.counts(run.runId(), stage));
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
                throw new IllegalStateException("interrupted while waiting for " + stage + " items held by other workers", e);
            }
            DatabaseRetry.retrying("progress", () -> report(run.runId()));
        }
    }

    /** How often a waiting run looks for items held by killed local processes. */
    private static final long ORPHAN_CHECK_MS = 2000;

    public RunRef close(RunRef run) {
        var repo = workflow.store().workItems();
        Map<Status, Integer> counts = repo.counts(run.runId(), stage);
        List<WorkItem> failed = repo.failed(run.runId()).stream().filter(w -> w.stage().equals(stage)).toList();
        Stage row = workflow.store().stages().find(run.runId(), stage).orElseThrow();
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        if (!failed.isEmpty()) {
            StringBuilder error = new StringBuilder(failed.size() + " of " + total + " items failed:");
            for (WorkItem w : failed) error.append("\n  ").append(PlannedItem.describe(stage, w.key().parts().get("item"))).append(": ").append(w.error());
            workflow.store().stages().finish(row.id(), Status.FAILED, error.toString());
        } else if (total > 0 && counts.get(Status.REUSED) == total) {
            Optional<Stage> from = workflow.store().stages().findFinished(stage, row.key().hash());
            if (from.isPresent() && from.get().runId() != run.runId()) {
                workflow.store().stages().markReused(run.runId(), stage, row.key(), from.get().id());
            } else {
                workflow.store().stages().finish(row.id(), Status.DONE, null);
            }
        } else {
            workflow.store().stages().finish(row.id(), Status.DONE, null);
        }
        workflow.options().progress().stageEnded(run.runId(), stage, counts.get(Status.DONE) + " done, " + counts.get(Status.REUSED)
                + " reused, " + counts.get(Status.FAILED) + " failed");
        return run;
    }

    protected void report(long runId) {
        Map<Status, Integer> c = workflow.store().workItems().counts(runId, stage);
        int total = c.values().stream().mapToInt(Integer::intValue).sum();
        workflow.options().progress().progress(runId, stage, c.get(Status.DONE) + c.get(Status.REUSED) + c.get(Status.FAILED), total);
    }

    /**
     * A finished item of this run whose key is no longer planned means its inputs changed since
     * it ran: its outputs would mix with new ones, so the run cannot resume.
     */
    private void refuseChangedFinishedItems(long runId, List<PlannedItem> items, List<String> keys) {
        for (WorkItem w : workflow.store().workItems().list(runId, stage)) {
            if (!w.status().finished() || keys.contains(w.key().hash())) continue;
            // only items of the split being planned (evaluate plans val and test apart)
            if (!items.isEmpty() && !sameSplit(w, items.get(0))) continue;
            String changes = items.stream().filter(i -> i.item().equals(w.key().parts().get("item"))).findFirst()
                    .map(i -> i.key().diff(w.key()).stream().map(KeyPartChange::toString).toList().toString())
                    .orElse("[the item is no longer part of the study]");
            throw new WorkflowInputException("run " + runId + ": " + PlannedItem.describe(stage, w.key().parts().get("item"))
                    + " finished with inputs that have changed since " + changes + "; start a new run (explain shows what changed)");
        }
    }

    private static boolean sameSplit(WorkItem w, PlannedItem planned) {
        var a = w.key().parts().get("item").get("split");
        var b = planned.item().get("split");
        return a == null || b == null || a.equals(b);
    }

    /** Unfinished items of an earlier attempt whose keys are not planned any more (their inputs changed): they go. */
    private void dropStale(long runId, List<String> keys, String split) {
        // evaluate plans val and test apart: only the split being planned is compared
        String sql = "DELETE FROM work_items WHERE run_id = ? AND stage = ? AND status IN ('pending', 'failed') AND NOT (item_key = ANY(?))"
                + (split == null ? "" : " AND key_parts->'item'->>'split' = ?");
        try (Connection c = workflow.store().dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, runId);
            ps.setString(2, stage);
            Array arr = c.createArrayOf("text", keys.toArray());
            ps.setArray(3, arr);
            if (split != null) ps.setString(4, split);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("dropping stale " + stage + " items of run " + runId + ": " + e.getMessage(), e);
        }
    }

    static List<ContentKey> keys(List<PlannedItem> items) {
        return new ArrayList<>(items.stream().map(PlannedItem::key).toList());
    }
}
