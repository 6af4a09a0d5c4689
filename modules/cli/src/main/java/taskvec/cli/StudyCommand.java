package taskvec.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `taskvec study ...`: commands about study files. */
@Command(name = "study", description = "Work with study files.", mixinStandardHelpOptions = true,
        subcommands = {StudyCheckCommand.class})
public final class StudyCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
