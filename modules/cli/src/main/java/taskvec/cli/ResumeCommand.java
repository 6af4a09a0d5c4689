package taskvec.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import taskvec.cli.common.DbOption;
import taskvec.cli.common.ExitCodes;
import taskvec.cli.common.QuietOption;
import taskvec.cli.common.RehashOption;
import taskvec.store.Store;
import taskvec.store.repo.Status;
import taskvec.workflow.RunOutcome;
import taskvec.workflow.StudyWorkflow;
import taskvec.workflow.WorkflowOptions;

/** {@code taskvec resume RUN}: reruns only failed or missing work of a run. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Resumes a run: only failed or missing work runs again.",
                "Failed items and items of killed processes go back to pending; finished items stay.",
                "Exit codes: 0 done, 1 failed, 2 bad input."})
public final class ResumeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN", description = "the run id")
    long run;
    @picocli.CommandLine.Option(names = "--fresh", description = "reuse nothing from other runs for the work left (as run --fresh)")
    boolean fresh;
    @Mixin RehashOption rehash;
    @Mixin QuietOption quiet;
    @Mixin DbOption db;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        rehash.apply();
        var out = spec.commandLine().getOut();
        WorkflowOptions options = WorkflowOptions.defaults().withFresh(fresh).withProgress(new ProgressPrinter(spec.commandLine().getErr(), quiet.quiet()));
        try (Store store = Store.open(db.settings()); StudyWorkflow wf = new StudyWorkflow(store, options)) {
            if (!quiet.quiet()) out.println("resuming run " + run);
            out.flush();
            wf.handOverWhenStopped(run);
            RunOutcome outcome = wf.resume(run);
            if (quiet.quiet()) out.println(run);
            else RunSummary.print(out, store, outcome);
            out.flush();
            return outcome.status() == Status.DONE ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }
}
