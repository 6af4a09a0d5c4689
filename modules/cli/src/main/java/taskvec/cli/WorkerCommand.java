package taskvec.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import taskvec.cli.common.DbOption;
import taskvec.cli.common.ExitCodes;
import taskvec.cli.common.RehashOption;
import taskvec.store.Store;
import taskvec.workflow.StudyWorkflow;
import taskvec.workflow.Worker;
import taskvec.workflow.WorkflowOptions;

/** {@code taskvec worker}: joins the running runs of a (shared) database and claims their work items. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Joins the running runs of a database and claims their work items.",
                "Several processes (or machines, with --db) share one run. Runs until stopped, or --idle-exit seconds without work."})
public final class WorkerCommand implements Callable<Integer> {

    @Option(names = "--idle-exit", paramLabel = "SECONDS", description = "exit after this long with nothing to claim")
    Integer idleExit;
    @Option(names = "--name", description = "the name claimed items record (default host:pid)")
    String name;
    @Mixin RehashOption rehash;
    @Mixin DbOption db;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        rehash.apply();
        WorkflowOptions options = WorkflowOptions.defaults();
        if (name != null) options = options.withWorkerName(name);
        try (Store store = Store.open(db.settings()); StudyWorkflow wf = new StudyWorkflow(store, options)) {
            spec.commandLine().getOut().println("worker " + options.workerName() + " on " + store.describe());
            spec.commandLine().getOut().flush();
            wf.handOverWhenStopped(null); // SIGTERM, Ctrl-C: its items go back to the run at once
            int done = new Worker(wf).work(idleExit == null ? null : Duration.ofSeconds(idleExit));
            spec.commandLine().getOut().println("worker " + options.workerName() + ": " + done + " items done");
        }
        return ExitCodes.OK;
    }
}
