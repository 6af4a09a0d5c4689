package taskvec.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import taskvec.cli.common.DbOption;
import taskvec.cli.common.ExitCodes;
import taskvec.report.ReportFiles;
import taskvec.report.ReportWriter;
import taskvec.store.Store;

/** {@code taskvec report RUN}: $TASKVEC_HOME/reports/RUN/index.html, report.md and one CSV per report view. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Writes a run's report from the store's SQL views: $TASKVEC_HOME/reports/<run>/index.html (self-contained, inline SVG charts),"
                + " report.md and a CSV per view.")
public final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN", description = "the run id")
    long run;
    @Option(names = "--out", paramLabel = "DIR", description = "where the run's folder goes (default: reports/ in TASKVEC_HOME)")
    Path out;
    @Mixin DbOption db;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        try (Store store = Store.open(db.settings())) {
            Path root = out != null ? out : store.settings().reportsRoot();
            ReportFiles files = ReportWriter.write(store, run, root);
            var w = spec.commandLine().getOut();
            w.println("report of run " + run + ": " + files.html());
            w.println("  " + files.markdown());
            w.println("  " + files.csvs().size() + " CSV files in " + files.dir());
        }
        return ExitCodes.OK;
    }
}
