package taskvec.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import taskvec.cli.common.DbOption;
import taskvec.cli.common.ExitCodes;
import taskvec.cli.common.QuietOption;
import taskvec.cli.common.RehashOption;
import taskvec.cli.common.RuntimeOptions;
import taskvec.store.Store;
import taskvec.store.repo.Status;
import taskvec.workflow.CheckedStudy;
import taskvec.workflow.RunOutcome;
import taskvec.workflow.StudyWorkflow;
import taskvec.workflow.WorkflowOptions;

/** {@code taskvec run [STUDY.yaml]}: checks the inputs, records a run and runs every stage. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs a study: prepare, capture, average, ensemble, evaluate, analyze, report.",
                "Without a study file: workflows/studies/embedded.yaml (the whole study on the embedded organism model).",
                "Exit codes: 0 done, 1 the run failed (failed items are listed), 2 bad input (nothing written)."})
public final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "STUDY.yaml", description = "the study file (default: the embedded study)")
    Path study;
    @Option(names = "--model-dir", paramLabel = "DIR", description = "the target model's folder (overrides models.target)")
    Path modelDir;
    @Option(names = "--source-dir", paramLabel = "DIR", description = "the source model's folder for LLM->VLM (overrides models.source)")
    Path sourceDir;
    @Option(names = "--name", description = "a name for the run (default: the study file's name)")
    String name;
    @Option(names = "--fresh", description = "reuse nothing from earlier runs: every item runs (for reproducibility checks)")
    boolean fresh;
    @Mixin RehashOption rehash;
    @Mixin RuntimeOptions runtime;
    @Mixin QuietOption quiet;
    @Mixin DbOption db;
    @Spec CommandSpec spec;

    static Path embeddedStudy() {
        return StudyFiles.baseDir().resolve("workflows/studies/embedded.yaml");
    }

    @Override
    public Integer call() {
        rehash.apply();
        Path file = study != null ? study : embeddedStudy();
        var out = spec.commandLine().getOut();
        WorkflowOptions options = WorkflowOptions.defaults().withFresh(fresh).withProgress(new ProgressPrinter(spec.commandLine().getErr(), quiet.quiet()));
        // every input is checked before the store opens: bad input never starts (or initialises) a server
        try (CheckedStudy checked = StudyWorkflow.check(file, modelDir, sourceDir, StudyFiles.baseDir(), runtime.settings());
             Store store = Store.open(db.settings()); StudyWorkflow wf = new StudyWorkflow(store, options)) {
            long runId = wf.create(checked, name);
            if (!quiet.quiet()) out.println("run " + runId + " started: " + file);
            out.flush();
            wf.handOverWhenStopped(runId); // SIGTERM, Ctrl-C: items given back, the run marked interrupted
            RunOutcome outcome = wf.run(runId);
            if (quiet.quiet()) out.println(runId);
            else RunSummary.print(out, store, outcome);
            out.flush();
            return outcome.status() == Status.DONE ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }
}
