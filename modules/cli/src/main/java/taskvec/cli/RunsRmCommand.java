package taskvec.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import taskvec.cli.common.DbOption;
import taskvec.cli.common.ExitCodes;
import taskvec.cli.common.QuietOption;
import taskvec.store.Store;
import taskvec.store.repo.Run;
import taskvec.store.repo.Status;

/** {@code taskvec runs rm RUN...}: deletes runs and every row they hold. */
@Command(name = "rm", mixinStandardHelpOptions = true,
        description = {"Deletes runs and every row they hold (stages, work items, prompts, vectors, predictions, metrics, analyses).",
                "Other runs keep their rows: reuse copies rows into the run that reuses them. A running run is refused",
                "unless --force (its process would fail). Report and export folders on disk are left as they are."})
public final class RunsRmCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "RUN", description = RunIds.DESCRIPTION)
    List<String> runs;
    @Option(names = "--force", description = "also delete runs whose status is running (a process that was killed leaves them so)")
    boolean force;
    @Mixin QuietOption quiet;
    @Mixin DbOption db;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        try (Store store = Store.open(db.settings())) {
            List<Long> ids = new ArrayList<>();
            for (String r : runs) {
                long id = RunIds.resolve(store, r);
                Run run = store.runs().find(id).orElseThrow();
                if (run.status() == Status.RUNNING && !force) {
                    throw new IllegalArgumentException("run " + id + " is running; stop its process first, or add --force if it was killed");
                }
                if (!ids.contains(id)) ids.add(id);
            }
            Map<String, Long> deleted = store.runs().delete(ids);
            printDeleted(spec.commandLine().getOut(), ids, deleted, quiet.quiet());
        }
        return ExitCodes.OK;
    }

    /** "deleted run 7, 9: 2 runs, 14 stages, ... rows"; with -q only the ids, one per line. */
    static void printDeleted(java.io.PrintWriter out, List<Long> ids, Map<String, Long> rows, boolean quiet) {
        if (quiet) {
            ids.forEach(out::println);
        } else if (ids.isEmpty()) {
            out.println("nothing to delete");
        } else {
            List<String> counts = new ArrayList<>();
            rows.forEach((table, n) -> counts.add(n + " " + table));
            out.println("deleted run" + (ids.size() == 1 ? " " : "s ") + ids.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("")
                    + " (rows: " + String.join(", ", counts) + ")");
        }
        out.flush();
    }
}
