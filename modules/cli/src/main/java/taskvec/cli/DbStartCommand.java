package taskvec.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import taskvec.store.DbSettings;
import taskvec.store.Store;
import taskvec.store.server.EmbeddedServer;
import taskvec.store.server.ServerStatus;

/** {@code taskvec db start}: starts (or finds) the embedded server, migrates it, keeps it up until {@code db stop}. */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Starts the embedded server (or reuses the running one), migrates the schema, keeps it running"
                + " until 'taskvec db stop', and prints its port, JDBC URL and a psql command.")
public final class DbStartCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        DbSettings settings = DbSettings.embedded(DbSettings.home(System.getenv()));
        EmbeddedServer server = new EmbeddedServer(settings.home());
        boolean wasRunning = server.status().running();
        ServerStatus status = server.ensureRunning(true);
        try (Store store = Store.open(settings)) {
            // opened only to migrate; the server is kept, so closing does not stop it
        }
        PrintWriter out = spec.commandLine().getOut();
        if (!status.note().isEmpty()) out.println(status.note());
        out.println((wasRunning ? "already running" : "started") + ": embedded PostgreSQL, pid " + status.pid());
        out.println("port:     " + status.port());
        out.println("data:     " + status.dataDirectory());
        out.println("jdbc:     " + status.jdbcUrl());
        out.println("psql:     " + status.psqlCommand());
        out.println("log:      " + server.logFile());
        out.println("It keeps running until: taskvec db stop");
        out.flush();
        return ExitCodes.OK;
    }
}
