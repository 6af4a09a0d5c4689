package taskvec.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
import taskvec.model.bench.ModelBenchmark;
import taskvec.model.bench.RandomModelFolder;
import taskvec.model.runtime.LoadedModel;

/** `taskvec bench ...`: benchmarks that print numbers. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print numbers.",
        subcommands = {BenchCommand.Model.class, RehearsalCommand.class})
public final class BenchCommand {

    /** `taskvec bench model`: forward, cached decoding and layer-sweep cost of the runtime. */
    @Command(name = "model", mixinStandardHelpOptions = true,
            description = "Forward tokens/s, cached decoding tokens/s, and the layer sweep's cost in forwards, "
                    + "on a generated ~50M-parameter Llama (8 layers, hidden 768) and on any --model-dir given.")
    public static final class Model implements Callable<Integer> {

        @Option(names = "--model-dir", description = "Also benchmark these model folders (e.g. the fixtures' model/ folders).")
        List<Path> modelDirs = new ArrayList<>();

        @Option(names = "--prompt-tokens", defaultValue = "256", description = "Prompt length. Default: ${DEFAULT-VALUE}.")
        int promptTokens;

        @Option(names = "--decode-tokens", defaultValue = "32", description = "Tokens to generate. Default: ${DEFAULT-VALUE}.")
        int decodeTokens;

        @Option(names = "--repeats", defaultValue = "5", description = "Timed repeats per measurement (median). Default: ${DEFAULT-VALUE}.")
        int repeats;

        @Option(names = "--skip-random", description = "Do not generate and run the ~50M random model.")
        boolean skipRandom;

        @Mixin RuntimeOptions runtime;

    @Spec CommandSpec spec;

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

        @Override
        public Integer call() throws IOException {
            ModelBenchmark bench = new ModelBenchmark(repeats);
            out().printf("%-28s %7s %6s %14s %14s %12s %12s %12s%n", "model", "tokens", "layers", "forward tok/s",
                    "decode tok/s", "sweep s", "sweep/fwd", "1-by-1/fwd");
            if (!skipRandom) {
                RandomModelFolder.Spec spec = RandomModelFolder.Spec.benchmark();
                Path dir = Files.createTempDirectory("taskvec-bench-model");
                try {
                    RandomModelFolder.write(dir, spec);
                    print(bench, String.format("random-%dM", spec.parameterCount() / 1_000_000), dir);
                } finally {
                    try (var files = Files.walk(dir)) {
                        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            }
            for (Path dir : modelDirs) print(bench, dir.getParent() != null && dir.getFileName().toString().equals("model")
                    ? dir.getParent().getFileName().toString() : dir.getFileName().toString(), dir);
            printPrompts();
            return ExitCodes.OK;
        }

        private void print(ModelBenchmark bench, String label, Path dir) {
            try (LoadedModel model = LoadedModel.load(dir, runtime.settings())) {
                ModelBenchmark.Result r = bench.run(label, model, promptTokens, decodeTokens);
                out().printf("%-28s %7d %6d %14.1f %14.1f %12.4f %12.2f %12.2f%n", r.model(), r.promptTokens(),
                        r.layers(), r.forwardTokensPerSecond(), r.decodeTokensPerSecond(), r.sweepSeconds(),
                        r.sweepRatio(), r.oneByOneRatio());
                ModelBenchmark.PromptsResult p = bench.prompts(label, model, 48, 40, 80);
                prompts.add(String.format("%-28s %7d %10s %10.1f %8d %12.1f %8.2f", p.model(), p.prompts(),
                        p.minTokens() + "-" + p.maxTokens(), p.batchOnePerSecond(), p.batchSize(), p.batchedPerSecond(),
                        p.batchedPerSecond() / p.batchOnePerSecond()));
            }
        }

        private final List<String> prompts = new ArrayList<>();

        /** The prompts-per-second table, after the per-model table. */
        private void printPrompts() {
            out().println();
            out().println("distinct prompts, each read at its last position in every layer (the capture stage's rows):");
            out().printf("%-28s %7s %10s %10s %8s %12s %8s%n", "model", "prompts", "tokens", "batch 1/s", "batch",
                    "batched/s", "speedup");
            prompts.forEach(out()::println);
        }
    }
}
