package taskvec.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import taskvec.cli.common.ExitCodes;
import taskvec.store.DbSettings;
import taskvec.store.server.EmbeddedServer;
import taskvec.store.server.ServerStatus;

/** {@code taskvec db status}: is the embedded server of this home running, where, and for whom. Exit 0 running, 1 not. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Says whether the embedded server of TASKVEC_HOME runs (exit code 0) or not (exit code 1),"
                + " with its port, data folder, pid and connected clients. Removes a stale postmaster.pid.")
public final class DbStatusCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        EmbeddedServer server = new EmbeddedServer(DbSettings.home(System.getenv()));
        ServerStatus s = server.status();
        PrintWriter out = spec.commandLine().getOut();
        if (!s.note().isEmpty()) out.println(s.note());
        out.println("status:   " + (s.running() ? "running" : "not running"));
        out.println("port:     " + (s.port() > 0 ? Integer.toString(s.port()) + (s.running() ? "" : " (remembered)") : "none yet"));
        out.println("data:     " + s.dataDirectory());
        if (s.running()) {
            out.println("pid:      " + s.pid());
            out.println("clients:  " + s.clients());
            out.println("mode:     " + (s.kept() ? "kept (started by 'taskvec db start'; runs until 'taskvec db stop')"
                    : "shared (stops when the last taskvec process using it exits)"));
            out.println("listen:   localhost" + (s.listen().isEmpty() ? " only" : ", " + s.listen()));
            out.println("password: " + s.passwordFile());
            out.println("jdbc:     " + s.jdbcUrl());
            out.println("psql:     " + s.psqlCommand());
        }
        out.flush();
        return s.running() ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
