package taskvec.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import taskvec.cli.common.ExitCodes;
import taskvec.cli.common.RuntimeOptions;
import taskvec.model.bench.Rehearsal;
import taskvec.model.runtime.MemoryEstimate;

/** `taskvec bench rehearsal`: LLaVA-1.5-7B's decoder shapes with few layers, through the whole real-model path. */
@Command(name = "rehearsal", mixinStandardHelpOptions = true,
        description = {"A random checkpoint with LLaVA-1.5-7B's decoder shapes (hidden 4096, 32 heads, MLP 11008,",
                "vocabulary 32064) but --layers layers, as F16 shards in a Hugging Face cache layout: located, hashed,",
                "checked, estimated, loaded, then one forward and one layer sweep timed. Needs about 1.4 GB of disk",
                "for 2 layers (removed afterwards unless --keep)."})
public final class RehearsalCommand implements Callable<Integer> {

    @Option(names = "--layers", defaultValue = "2", description = "Decoder layers. Default: ${DEFAULT-VALUE}.")
    int layers;

    @Option(names = "--prompt-tokens", defaultValue = "128", description = "Prompt length. Default: ${DEFAULT-VALUE}.")
    int promptTokens;

    @Option(names = "--repeats", defaultValue = "3", description = "Timed repeats (median). Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--dir", description = "Work folder (default: a new temporary folder).")
    Path dir;

    @Option(names = "--keep", description = "Keep the checkpoint and cache folder.")
    boolean keep;

    @Mixin RuntimeOptions runtime;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("taskvec-rehearsal");
        try {
            Rehearsal.Result r = Rehearsal.run(work, layers, runtime.settings(), promptTokens, repeats);
            out.printf("checkpoint      %,d values, %s in F16 shards %s, written and cached in %.1f s%n", r.values(),
                    MemoryEstimate.gib(r.storedBytes()), r.shardBytes(), r.writeSeconds());
            out.printf("hashing         %,d bytes read when the weights' blob names give their SHA-256;"
                    + " %,d bytes in %.1f s with --rehash (%.0f MB/s)%n", r.bytesHashedByName(), r.bytesHashedFully(),
                    r.fullHashSeconds(), r.bytesHashedFully() / 1e6 / r.fullHashSeconds());
            out.printf("memory          float16 %s; float32 %s%n", r.float16().describe(), r.float32().describe());
            out.printf("load            %.1f s (%s on %s)%n", r.loadSeconds(), runtime.settings().djlDataType(), runtime.settings().device());
            var b = r.bench();
            out.printf("forward         %d tokens in %.3f s (%.1f tokens/s, %.3f s per layer incl. head share)%n",
                    b.promptTokens(), b.forwardSeconds(), b.forwardTokensPerSecond(), b.forwardSeconds() / r.layers());
            out.printf("decode          %.1f tokens/s%n", b.decodeTokensPerSecond());
            out.printf("layer sweep     %.3f s = %.2f forwards (every layer patched at the last position)%n",
                    b.sweepSeconds(), b.sweepRatio());
            out.flush();
            return ExitCodes.OK;
        } finally {
            if (!keep) {
                try (var files = Files.walk(work)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}
