package taskvec.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import taskvec.model.files.FileDigests;
import taskvec.store.DbSettings;

/** The `taskvec` command: one subcommand class per verb, registered here. */
@Command(
        name = "taskvec",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Cross-modal task vectors: capture, average, patch, evaluate, report.",
        // One line per verb, in the order `taskvec --help` lists them.
        subcommands = {
            DbCommand.class,
            SqlCommand.class,
            RunCommand.class,
            StatusCommand.class,
            RunsCommand.class,
            ResumeCommand.class,
            ExplainCommand.class,
            WorkerCommand.class,
            ReportCommand.class,
            ExportCommand.class,
            GcCommand.class,
            taskvec.cli.model.ModelCommand.class,
            taskvec.cli.bench.BenchCommand.class,
            DoctorCommand.class,
            StudyCommand.class,
            PromptsCommand.class,
            taskvec.cli.organism.OrganismCommand.class,
            CompletionCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with every subcommand and the shared error handling; tests use this too. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setExecutionStrategy(parsed -> {
            // file hashes are remembered in the home, so a second run or explain reads no unchanged model file again
            FileDigests.rememberIn(DbSettings.home(System.getenv()).resolve("hashes"));
            FileDigests.rehash(false);
            return new CommandLine.RunLast().execute(parsed);
        });
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }
}
