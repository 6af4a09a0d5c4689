package taskvec.cli.model;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import taskvec.cli.common.ExitCodes;
import taskvec.cli.common.RuntimeOptions;
import taskvec.model.image.PreprocessFixture;
import taskvec.model.verify.FixtureVerifier;

/**
 * `taskvec model verify --fixture DIR`: runs every case of a golden-fixture folder (a model
 * fixture, or a preprocessing fixture) through the loading code users run, one line per case.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Run every case of a fixture folder (format: fixtures README); exit 1 if any case fails.")
public final class ModelVerifyCommand implements Callable<Integer> {

    @Option(names = "--fixture", required = true, description = "Fixture folder (cases.json, expected.safetensors, model/).")
    Path fixture;

    @Mixin RuntimeOptions runtime;

    @Spec CommandSpec spec;

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Override
    public Integer call() {
        boolean allPassed;
        if (PreprocessFixture.isPreprocessFixture(fixture)) {
            List<PreprocessFixture.CaseResult> cases = PreprocessFixture.verify(fixture);
            cases.forEach(c -> out().println(c.summary()));
            allPassed = PreprocessFixture.noneFailed(cases);
            long unsupported = cases.stream().filter(c -> c.outcome() == PreprocessFixture.Outcome.UNSUPPORTED).count();
            summarize((int) (cases.size() - unsupported), cases.stream().filter(PreprocessFixture.CaseResult::passed).count());
            if (unsupported > 0) {
                out().printf("%d case(s) UNSUPPORTED: no handler for their processor class (listed above)%n", unsupported);
            }
        } else {
            FixtureVerifier.Report report = FixtureVerifier.verify(fixture, runtime.settings());
            report.cases().forEach(c -> out().println(c.line()));
            allPassed = report.allPassed();
            summarize(report.cases().size(), report.cases().stream().filter(FixtureVerifier.CaseResult::passed).count());
        }
        return allPassed ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private void summarize(int total, long passed) {
        out().printf("%s: %d of %d cases passed%n", fixture, passed, total);
    }
}
