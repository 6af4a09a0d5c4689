package taskvec.cli;

import java.nio.file.Path;
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
import taskvec.export.ExportFormat;
import taskvec.export.RunExport;
import taskvec.store.Store;

/** {@code taskvec export RUN}: a run's vectors, predictions and metrics as files for Python and scripts. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Writes a run's results into a folder: vectors.safetensors (one [layers, hidden] tensor per stored vector),",
                "predictions and metrics as Parquet (or CSV), run.json (settings, models, versions, file hashes) and a README.md",
                "with the Python lines that load them."})
public final class ExportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN", description = RunIds.DESCRIPTION)
    String run;
    @Option(names = "--out", paramLabel = "DIR", description = "the folder to write (default: taskvec-run-RUN in the current folder)")
    Path out;
    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "parquet",
            description = "parquet (default) or csv: how predictions and metrics are written")
    ExportFormat format;
    @Mixin QuietOption quiet;
    @Mixin DbOption db;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        var stdout = spec.commandLine().getOut();
        try (Store store = Store.open(db.settings())) {
            long id = RunIds.resolve(store, run);
            Path dir = out != null ? out : Path.of("taskvec-run-" + id);
            RunExport.Result r = RunExport.write(store, id, dir, format);
            if (quiet.quiet()) {
                stdout.println(r.dir());
            } else {
                stdout.println("run " + id + " exported to " + r.dir() + ": " + r.tensors() + " tensors, " + r.predictions()
                        + " predictions, " + r.metrics() + " metrics");
                r.files().forEach(f -> stdout.println("  " + f.getFileName()));
            }
            stdout.flush();
        }
        return ExitCodes.OK;
    }
}
