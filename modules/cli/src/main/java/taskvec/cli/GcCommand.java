package taskvec.cli;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import taskvec.cli.common.DbOption;
import taskvec.cli.common.ExitCodes;
import taskvec.cli.common.QuietOption;
import taskvec.store.Store;
import taskvec.store.repo.Run;

/** {@code taskvec gc}: deletes runs that will never finish, and the rows only they hold. */
@Command(name = "gc", mixinStandardHelpOptions = true,
        description = {"Deletes runs that will never finish on their own, with every row they hold: failed runs, and runs left",
                "running by a process that is gone (no live lease, nothing started or finished for --quiet-minutes).",
                "Finished runs are kept. After gc a deleted run cannot be resumed; --dry-run lists what would go."})
public final class GcCommand implements Callable<Integer> {

    @Option(names = "--dry-run", description = "list the runs gc would delete, delete nothing")
    boolean dryRun;
    @Option(names = "--quiet-minutes", paramLabel = "N", defaultValue = "60",
            description = "a running run counts as abandoned after N minutes without activity (default 60)")
    long quietMinutes;
    @Mixin QuietOption quiet;
    @Mixin DbOption db;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        if (quietMinutes < 0) throw new IllegalArgumentException("--quiet-minutes " + quietMinutes + ": must be 0 or more");
        var out = spec.commandLine().getOut();
        try (Store store = Store.open(db.settings())) {
            List<Run> garbage = store.runs().abandonedOrFailed(Duration.ofMinutes(quietMinutes));
            List<Long> ids = garbage.stream().map(Run::id).toList();
            if (dryRun) {
                for (Run r : garbage) out.println(quiet.quiet() ? Long.toString(r.id()) : "would delete run " + r.id() + " (" + r.name() + ", " + r.status().db() + ")");
                if (garbage.isEmpty() && !quiet.quiet()) out.println("nothing to delete");
                out.flush();
                return ExitCodes.OK;
            }
            Map<String, Long> deleted = ids.isEmpty() ? Map.of() : store.runs().delete(ids);
            RunsRmCommand.printDeleted(out, ids, deleted, quiet.quiet());
        }
        return ExitCodes.OK;
    }
}
