package taskvec.cli;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import taskvec.cli.common.ExitCodes;
import taskvec.store.DbSettings;
import taskvec.store.Store;
import taskvec.store.repo.Run;
import taskvec.store.server.EmbeddedServer;
import taskvec.store.server.ServerStatus;

/** {@code taskvec db stop}: stops the embedded server of this home, unless processes still use it (then --force). */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = {"Stops the embedded server of TASKVEC_HOME, also one left behind by a killed process.",
                "Refuses (exit 1) while clients are connected and runs are running: stopping would interrupt them."
                        + " --force stops it anyway (their sessions end; they wait for it, then exit)."})
public final class DbStopCommand implements Callable<Integer> {

    @Option(names = "--force", description = "stop even while runs are active")
    boolean force;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        DbSettings settings = DbSettings.embedded(DbSettings.home(System.getenv()));
        EmbeddedServer server = new EmbeddedServer(settings.home());
        var out = spec.commandLine().getOut();
        ServerStatus status = server.status();
        if (status.running() && status.clients() > 0 && !force) {
            List<Run> running;
            try (Store store = Store.open(settings)) {
                running = store.runs().running();
            }
            if (!running.isEmpty()) {
                spec.commandLine().getErr().println("taskvec: not stopping the embedded PostgreSQL: "
                        + status.clients() + " client connection(s), runs running: "
                        + running.stream().map(r -> r.id() + " (" + r.name() + ")").collect(Collectors.joining(", "))
                        + "; stopping would interrupt them. Use --force to stop it anyway.");
                spec.commandLine().getErr().flush();
                return ExitCodes.FAILED;
            }
        }
        boolean stopped = server.stop();
        out.println(stopped ? "stopped the embedded PostgreSQL in " + server.dataDirectory()
                : "not running (" + server.dataDirectory() + ")");
        out.flush();
        return ExitCodes.OK;
    }
}
