package taskvec.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import taskvec.cli.common.DbOption;
import taskvec.cli.common.ExitCodes;
import taskvec.store.Store;
import taskvec.store.repo.Run;

/** {@code taskvec runs}: every run in the store, oldest first ({@code runs rm} deletes runs). */
@Command(name = "runs", mixinStandardHelpOptions = true, subcommands = RunsRmCommand.class,
        description = "Lists the runs in the store: id, name, status, start and finish times. `runs rm RUN` deletes runs.")
public final class RunsCommand implements Callable<Integer> {

    @Option(names = "--csv", description = "print CSV: the header run_id,name,status,started_at,finished_at, then one line per run")
    boolean csv;
    @Option(names = "--json", description = "print JSON: {\"runs\": [{id, name, status, started_at, finished_at, code_version, device, dtype, error}]}")
    boolean json;
    @Mixin DbOption db;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        List<Run> runs;
        try (Store store = Store.open(db.settings())) {
            runs = store.runs().list();
        }
        var out = spec.commandLine().getOut();
        if (json) {
            ObjectNode root = Json.object();
            ArrayNode list = root.putArray("runs");
            runs.forEach(r -> list.add(Json.run(r)));
            Json.print(out, root);
            return ExitCodes.OK;
        }
        ResultTable table = new ResultTable(List.of("run_id", "name", "status", "started_at", "finished_at"));
        for (Run r : runs) {
            table.add(java.util.Arrays.asList(Long.toString(r.id()), r.name(), r.status().db(),
                    r.startedAt().toString(), r.finishedAt() == null ? null : r.finishedAt().toString()));
        }
        if (csv) table.printCsv(out);
        else table.printAligned(out);
        return ExitCodes.OK;
    }
}
