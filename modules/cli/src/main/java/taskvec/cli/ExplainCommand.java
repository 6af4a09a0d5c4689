package taskvec.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import taskvec.cli.common.DbOption;
import taskvec.cli.common.ExitCodes;
import taskvec.cli.common.RehashOption;
import taskvec.store.Store;
import taskvec.store.key.KeyPartChange;
import taskvec.workflow.Explainer;
import taskvec.workflow.StudyWorkflow;
import taskvec.workflow.WorkflowOptions;

/** {@code taskvec explain RUN [STAGE]}: what will run or be reused, and which key part changed. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Shows what will run or be reused, and which key part changed.",
                "Each stage's key as computed now (study, dataset and model files, code version) is compared with the",
                "key the run recorded, with finished work of any run (reused) and with the latest other run."})
public final class ExplainCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN", description = "the run id")
    long run;
    @Parameters(index = "1", arity = "0..1", paramLabel = "STAGE", description = "one stage (default: all)")
    String stage;
    @Option(names = "--json", description = "print JSON: {run, stages: [{stage, key, status_in_run, changed_since_run, "
            + "reused_from_run, compared_run, changed_from_compared, items}]}")
    boolean json;
    @Mixin RehashOption rehash;
    @Mixin DbOption db;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        rehash.apply();
        var out = spec.commandLine().getOut();
        try (Store store = Store.open(db.settings()); StudyWorkflow wf = new StudyWorkflow(store, WorkflowOptions.defaults())) {
            if (store.runs().find(run).isEmpty()) throw new IllegalArgumentException("run " + run + ": no such run");
            List<Explainer.StageExplanation> stages = new Explainer(wf).explain(run, stage);
            if (json) {
                ObjectNode root = Json.object();
                root.put("run", run);
                ArrayNode array = root.putArray("stages");
                stages.forEach(e -> array.add(json(e)));
                Json.print(out, root);
            } else {
                stages.forEach(e -> e.lines().forEach(out::println));
            }
        }
        return ExitCodes.OK;
    }

    private static ObjectNode json(Explainer.StageExplanation e) {
        ObjectNode o = Json.object();
        o.put("stage", e.stage());
        o.put("key", e.key());
        o.put("status_in_run", e.statusInRun());
        changes(o.putArray("changed_since_run"), e.changedSinceRun());
        o.put("reused_from_run", e.reusedFromRun());
        o.put("compared_run", e.comparedRun());
        changes(o.putArray("changed_from_compared"), e.changedFromCompared());
        Explainer.ItemCounts c = e.items();
        o.putObject("items").put("planned", c.planned()).put("finished_in_run", c.finishedHere())
                .put("reusable", c.reusable()).put("to_run", c.toRun()).put("failed_in_run", c.failedHere());
        return o;
    }

    /** Each changed key part as {part, before, after}; before or after null when the part was added or removed. */
    private static void changes(ArrayNode array, List<KeyPartChange> changes) {
        for (KeyPartChange c : changes) {
            ObjectNode o = array.addObject();
            o.put("part", c.name());
            o.set("before", c.before());
            o.set("after", c.after());
        }
    }
}
