package taskvec.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import taskvec.cli.common.DbOption;
import taskvec.cli.common.ExitCodes;
import taskvec.store.Store;
import taskvec.store.repo.Run;
import taskvec.store.repo.Stage;
import taskvec.store.repo.Status;
import taskvec.store.repo.WorkItem;
import taskvec.workflow.plan.PlannedItem;
import taskvec.workflow.stage.Stages;

/** {@code taskvec status [RUN]}: a run's stages, their items, timings and failures (default: the latest run). */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows a run (default: the latest): its stages with item counts, attempts, timings, reuse and failures.")
public final class StatusCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN",
            description = "the run id, or latest (the newest run finished with status done); default: the most recently started run")
    String run;
    @Option(names = "--json", description = "print JSON: {run, stages: [{stage, status, attempts, items: {total, done, reused, failed,"
            + " pending, running}, seconds, reused_from_stage, key}], failed_items: [{stage, item, attempts, error}]}")
    boolean json;
    @Mixin DbOption db;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        try (Store store = Store.open(db.settings())) {
            List<Run> runs = store.runs().list();
            if (runs.isEmpty() && run == null) {
                if (json) Json.print(out, emptyJson());
                else out.println("no runs yet (./taskvec run starts one)");
                return ExitCodes.OK;
            }
            Run r = run == null ? runs.get(runs.size() - 1) : store.runs().find(RunIds.resolve(store, run)).orElseThrow();
            if (json) {
                Json.print(out, json(store, r));
                return ExitCodes.OK;
            }
            out.println("run " + r.id() + " (" + r.name() + "): " + r.status().db() + ", started " + r.startedAt()
                    + (r.finishedAt() != null ? ", finished " + r.finishedAt() : "") + ", code " + r.codeVersion());
            ResultTable table = new ResultTable(List.of("stage", "status", "attempts", "items", "done", "reused", "failed", "pending",
                    "running", "seconds", "reused_from_stage", "key"));
            for (String name : Stages.names()) {
                Stage s = store.stages().find(r.id(), name).orElse(null);
                Map<Status, Integer> c = store.workItems().counts(r.id(), name);
                int total = c.values().stream().mapToInt(Integer::intValue).sum();
                String seconds = s == null || s.startedAt() == null || s.finishedAt() == null ? null
                        : String.format("%.1f", java.time.Duration.between(s.startedAt(), s.finishedAt()).toMillis() / 1000.0);
                table.add(Arrays.asList(name, s == null ? "not started" : s.status().db(), s == null ? null : Integer.toString(s.attempts()),
                        Integer.toString(total), c.get(Status.DONE).toString(), c.get(Status.REUSED).toString(), c.get(Status.FAILED).toString(),
                        c.get(Status.PENDING).toString(), c.get(Status.RUNNING).toString(), seconds,
                        s == null || s.reusedFrom() == null ? null : s.reusedFrom().toString(), s == null ? null : s.key().hash().substring(0, 12)));
            }
            table.printAligned(out);
            List<WorkItem> failed = store.workItems().failed(r.id());
            if (!failed.isEmpty()) {
                out.println("failed work items (./taskvec resume " + r.id() + " runs them again):");
                for (WorkItem w : failed) {
                    out.println("  " + PlannedItem.describe(w.stage(), w.key().parts().get("item")) + " (" + w.attempts() + " attempts): " + w.error());
                }
            }
            if (r.error() != null && failed.isEmpty()) out.println("error: " + r.error());
        }
        return ExitCodes.OK;
    }

    private static ObjectNode emptyJson() {
        ObjectNode root = Json.object();
        root.putNull("run");
        root.putArray("stages");
        root.putArray("failed_items");
        return root;
    }

    private static ObjectNode json(Store store, Run r) {
        ObjectNode root = Json.object();
        root.set("run", Json.run(r));
        ArrayNode stages = root.putArray("stages");
        for (String name : Stages.names()) {
            Stage s = store.stages().find(r.id(), name).orElse(null);
            Map<Status, Integer> c = store.workItems().counts(r.id(), name);
            ObjectNode n = stages.addObject();
            n.put("stage", name);
            n.put("status", s == null ? "not started" : s.status().db());
            n.put("attempts", s == null ? 0 : s.attempts());
            ObjectNode items = n.putObject("items");
            items.put("total", c.values().stream().mapToInt(Integer::intValue).sum());
            for (Status st : List.of(Status.DONE, Status.REUSED, Status.FAILED, Status.PENDING, Status.RUNNING)) items.put(st.db(), c.get(st));
            if (s == null || s.startedAt() == null || s.finishedAt() == null) n.putNull("seconds");
            else n.put("seconds", java.time.Duration.between(s.startedAt(), s.finishedAt()).toMillis() / 1000.0);
            if (s == null || s.reusedFrom() == null) n.putNull("reused_from_stage");
            else n.put("reused_from_stage", s.reusedFrom());
            n.put("key", s == null ? null : s.key().hash());
        }
        ArrayNode failed = root.putArray("failed_items");
        for (WorkItem w : store.workItems().failed(r.id())) {
            ObjectNode f = failed.addObject();
            f.put("stage", w.stage());
            f.put("item", PlannedItem.describe(w.stage(), w.key().parts().get("item")));
            f.put("attempts", w.attempts());
            f.put("error", w.error());
        }
        return root;
    }
}
