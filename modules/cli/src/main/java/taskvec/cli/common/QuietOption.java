package taskvec.cli.common;

import picocli.CommandLine.Option;

/** -q / --quiet: no progress bars, notes or summaries, only the result a script needs (a run id, a folder). */
public final class QuietOption {
    private boolean quiet;

    @Option(names = {"-q", "--quiet"}, description = "print only the result (a run id, a folder): no progress bars, notes or summaries")
    void quiet(boolean on) {
        quiet = on;
        // taskvec's own notes (the embedded server starting, ...) go through slf4j at info; keep them back too.
        // Read when the first logger is made, which in a taskvec process is after the command line is parsed.
        if (on) System.setProperty("org.slf4j.simpleLogger.log.taskvec", "warn");
    }

    public boolean quiet() {
        return quiet;
    }
}
