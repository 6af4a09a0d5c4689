package taskvec.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import taskvec.cli.common.ExitCodes;
import taskvec.store.DbSettings;
import taskvec.store.Store;
import taskvec.store.server.EmbeddedServer;
import taskvec.store.server.ServerStatus;

/** {@code taskvec db start}: starts (or finds) the embedded server, migrates it, keeps it up until {@code db stop}. */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = {"Starts the embedded server (or reuses the running one), migrates the schema, keeps it running"
                + " until 'taskvec db stop', and prints its port, JDBC URL, password file and a psql command.",
                "Every client logs in with the password in $TASKVEC_HOME/db/password (scram-sha-256); taskvec commands"
                + " of this home read it themselves."})
public final class DbStartCommand implements Callable<Integer> {

    @Option(names = "--listen", paramLabel = "ADDRESS",
            description = "also listen on this address of this host (an IP address or host name; 0.0.0.0 for every"
                    + " IPv4 address), so workers on other hosts can join: ./taskvec worker --db URL")
    String listen;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        if (listen != null && !listen.matches("[A-Za-z0-9.:-]+")) {
            throw new IllegalArgumentException("--listen " + listen + ": not an address of this host"
                    + (listen.contains("*") ? " (use 0.0.0.0 for every IPv4 address)" : ""));
        }
        DbSettings settings = DbSettings.embedded(DbSettings.home(System.getenv()));
        EmbeddedServer server = new EmbeddedServer(settings.home());
        boolean wasRunning = server.status().running();
        ServerStatus status = server.ensureRunning(true, listen);
        try (Store store = Store.open(settings)) {
            // opened only to migrate; the server is kept, so closing does not stop it
        }
        PrintWriter out = spec.commandLine().getOut();
        if (!status.note().isEmpty()) out.println(status.note());
        out.println((wasRunning ? "already running" : "started") + ": embedded PostgreSQL, pid " + status.pid());
        out.println("port:     " + status.port());
        out.println("listen:   localhost" + (status.listen().isEmpty() ? " only" : ", " + status.listen()));
        out.println("data:     " + status.dataDirectory());
        out.println("password: " + status.passwordFile() + " (readable by you only)");
        out.println("jdbc:     " + status.jdbcUrl());
        out.println("psql:     " + status.psqlCommand());
        if (!status.listen().isEmpty()) {
            out.println("workers:  TASKVEC_DB='" + status.remoteJdbcUrl() + "&password=PASSWORD' ./taskvec worker"
                    + "   (PASSWORD: the content of the password file)");
        }
        out.println("log:      " + server.logFile());
        out.println("It keeps running until: taskvec db stop");
        out.flush();
        return ExitCodes.OK;
    }
}
