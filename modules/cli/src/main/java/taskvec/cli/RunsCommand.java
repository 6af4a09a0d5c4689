package taskvec.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import taskvec.store.Store;
import taskvec.store.repo.Run;

/** {@code taskvec runs}: every run in the store, oldest first. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "Lists the runs in the store: id, name, status, start and finish times.")
public final class RunsCommand implements Callable<Integer> {

    @Option(names = "--csv", description = "print CSV: the header run_id,name,status,started_at,finished_at, then one line per run")
    boolean csv;
    @Mixin DbOption db;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        ResultTable table = new ResultTable(List.of("run_id", "name", "status", "started_at", "finished_at"));
        try (Store store = Store.open(db.settings())) {
            for (Run r : store.runs().list()) {
                table.add(java.util.Arrays.asList(Long.toString(r.id()), r.name(), r.status().db(),
                        r.startedAt().toString(), r.finishedAt() == null ? null : r.finishedAt().toString()));
            }
        }
        if (csv) table.printCsv(spec.commandLine().getOut());
        else table.printAligned(spec.commandLine().getOut());
        return ExitCodes.OK;
    }
}
