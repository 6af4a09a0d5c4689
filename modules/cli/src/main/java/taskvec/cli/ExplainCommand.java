package taskvec.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import taskvec.store.Store;
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
    @Mixin RehashOption rehash;
    @Mixin DbOption db;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        rehash.apply();
        var out = spec.commandLine().getOut();
        try (Store store = Store.open(db.settings()); StudyWorkflow wf = new StudyWorkflow(store, WorkflowOptions.defaults())) {
            if (store.runs().find(run).isEmpty()) throw new IllegalArgumentException("run " + run + ": no such run");
            new Explainer(wf).explain(run, stage).forEach(out::println);
        }
        return ExitCodes.OK;
    }
}
