package taskvec.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code taskvec db start|stop|status}: the embedded PostgreSQL server of TASKVEC_HOME. */
@Command(name = "db", mixinStandardHelpOptions = true,
        description = {"The embedded PostgreSQL server of TASKVEC_HOME (data in $TASKVEC_HOME/db/data).",
                "Without 'db start', a taskvec command starts the server when it needs it and the last taskvec",
                "process to leave stops it; 'db start' keeps it up (for psql sessions) until 'db stop'."},
        subcommands = {DbStartCommand.class, DbStopCommand.class, DbStatusCommand.class})
public final class DbCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
