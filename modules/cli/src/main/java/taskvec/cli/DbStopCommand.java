package taskvec.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import taskvec.store.DbSettings;
import taskvec.store.server.EmbeddedServer;

/** {@code taskvec db stop}: stops the embedded server of this home (fast shutdown: open sessions are ended). */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stops the embedded server of TASKVEC_HOME, also one left behind by a killed process"
                + " (connected sessions are ended; running work items are claimed again after their lease).")
public final class DbStopCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        EmbeddedServer server = new EmbeddedServer(DbSettings.home(System.getenv()));
        boolean stopped = server.stop();
        spec.commandLine().getOut().println(stopped ? "stopped the embedded PostgreSQL in " + server.dataDirectory()
                : "not running (" + server.dataDirectory() + ")");
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
