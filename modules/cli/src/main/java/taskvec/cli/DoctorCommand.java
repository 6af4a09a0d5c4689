package taskvec.cli;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import taskvec.cli.common.ExitCodes;
import taskvec.model.ModelLoadException;
import taskvec.model.RuntimeSettings;
import taskvec.model.runtime.LoadedModel;
import taskvec.model.verify.FixtureVerifier;
import taskvec.study.config.Study;
import taskvec.study.data.Dataset;
import taskvec.study.data.DatasetImporter;
import taskvec.study.eval.InMemoryStudy;
import taskvec.study.eval.Prediction;

/**
 * {@code taskvec doctor}: what this machine runs on, and whether it computes what the golden fixtures say. CPU
 * part: every model fixture in float32 (the fixtures' tolerance) and float16 (the tolerance times
 * {@link FixtureVerifier#FLOAT16_TOLERANCE_SCALE}). GPU part, when libtorch sees a CUDA device: the same on the GPU,
 * then the embedded study's capture and evaluate for one task on the GPU, whose predictions must equal the CPU's.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Checks the engine and device: prints the libtorch version, flavor and devices, runs every model",
                "fixture in float32 and float16 on the CPU (and on the GPU when one is visible), and on a GPU compares",
                "the embedded study's predictions for one task with the CPU's.",
                "Exit codes: 0 everything agrees (without a GPU: the CPU part passed), 1 a difference, 2 bad input."})
public final class DoctorCommand implements Callable<Integer> {

    @Option(names = "--fixtures", paramLabel = "DIR", description = "the golden fixtures (default: the project's copy)")
    Path fixtures;

    @Option(names = "--study", paramLabel = "STUDY.yaml", description = "the study whose first task the GPU check runs"
            + " (default: the embedded study)")
    Path study;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = fixtures != null ? fixtures : StudyFiles.baseDir().resolve("modules/model/src/test/resources/fixtures");
        List<Path> models = modelFixtures(dir);
        Engine engine = Engine.getEngine("PyTorch");
        int gpus = engine.getGpuCount();
        out.printf("engine          DJL %s, %s %s%n", Engine.getDjlVersion(), engine.getEngineName(), engine.getVersion());
        out.printf("libtorch        %s%n", System.getenv("PYTORCH_LIBRARY_PATH") != null
                ? System.getenv("PYTORCH_LIBRARY_PATH") + " (PYTORCH_LIBRARY_PATH), flavor " + System.getenv().getOrDefault("PYTORCH_FLAVOR", "?")
                : "bundled pytorch-native-cpu");
        out.printf("devices         cpu%s%n", gpus > 0 ? ", " + gpus + " CUDA device(s)" : " (no CUDA device visible to libtorch)");
        out.flush();
        boolean ok = true;
        List<String> devices = new ArrayList<>(List.of("cpu"));
        for (int g = 0; g < gpus; g++) devices.add("cuda:" + g);
        for (String device : devices) {
            for (String dtype : new String[] {"float32", "float16"}) {
                double scale = dtype.equals("float16") ? FixtureVerifier.FLOAT16_TOLERANCE_SCALE : 1;
                for (Path fixture : models) {
                    FixtureVerifier.Report report;
                    try {
                        report = FixtureVerifier.verify(fixture, new RuntimeSettings(device, dtype), scale);
                    } catch (ModelLoadException e) {
                        if (!e.getMessage().contains("unsupported model_type")) throw e;
                        // a fixture of an architecture this build does not run yet is not a fault of the machine
                        out.printf("%-8s %-8s %-22s SKIPPED: %s%n", device, dtype, fixture.getFileName(), e.getMessage());
                        continue;
                    }
                    // float16 rounding exceeds the fixtures' margins between the top two logits (2e-3): a greedy
                    // token may flip there, so float16 token mismatches are printed but not counted
                    boolean f16 = scale != 1;
                    boolean passed = report.cases().stream().allMatch(c -> c.checks().stream()
                            .filter(k -> !(f16 && k.name().equals("generate.tokens"))).allMatch(FixtureVerifier.Check::passed));
                    double worst = report.cases().stream().flatMap(c -> c.checks().stream())
                            .filter(k -> !k.name().equals("generate.tokens")).mapToDouble(FixtureVerifier.Check::maxError).max().orElse(0);
                    out.printf("%-8s %-8s %-22s %2d cases  max error %.3f of the tolerance%s  %s%n", device, dtype,
                            fixture.getFileName(), report.cases().size(), worst, scale == 1 ? "" : " x" + (int) scale,
                            passed ? "PASS" : "FAIL");
                    report.cases().stream().filter(c -> !c.passed()).forEach(c -> out.println("    " + c.line()));
                    out.flush();
                    ok &= passed;
                }
            }
        }
        if (gpus == 0) {
            out.println("no GPU: the GPU checks (fixtures on cuda, the study's predictions against the CPU's) were skipped");
            return ok ? ExitCodes.OK : ExitCodes.FAILED;
        }
        ok &= studyAgrees(out, study != null ? study : RunCommand.embeddedStudy());
        out.println(ok ? "everything agrees" : "DIFFERENCES FOUND");
        return ok ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** The study's first task, capture and evaluate in memory on the CPU and on cuda:0 (float32): same predictions. */
    private boolean studyAgrees(PrintWriter out, Path file) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        ObjectNode tree = (ObjectNode) yaml.readTree(file.toFile());
        JsonNode tasks = tree.path("tasks");
        String task = tasks.isArray() && !tasks.isEmpty() ? tasks.get(0).asText() : null;
        if (task != null) {
            ArrayNode one = tree.putArray("tasks");
            one.add(task);
        }
        Study s = taskvec.study.config.StudyFileReader.parse(file, tree, StudyFiles.baseDir());
        Dataset dataset = DatasetImporter.load(s.datasetRoot(), s.tasks());
        List<List<Prediction>> predictions = new ArrayList<>();
        for (String device : new String[] {"cpu", "cuda:0"}) {
            long start = System.nanoTime();
            try (LoadedModel model = LoadedModel.load(s.models().target().dir(), new RuntimeSettings(device, "float32"))) {
                InMemoryStudy.Result r = InMemoryStudy.run(s, dataset, model, null);
                List<Prediction> all = new ArrayList<>(r.val());
                all.addAll(r.test());
                predictions.add(all);
            }
            out.printf("study %-8s %s on %s: %d predictions in %.1f s%n", task, file.getFileName(), device,
                    predictions.get(predictions.size() - 1).size(), (System.nanoTime() - start) / 1e9);
            out.flush();
        }
        int differ = 0;
        for (int i = 0; i < predictions.get(0).size(); i++) {
            if (!predictions.get(0).get(i).equals(predictions.get(1).get(i))) {
                if (differ++ < 5) out.println("    differs: cpu " + predictions.get(0).get(i) + " vs cuda " + predictions.get(1).get(i));
            }
        }
        out.printf("study predictions cpu vs cuda:0: %d of %d differ  %s%n", differ, predictions.get(0).size(), differ == 0 ? "PASS" : "FAIL");
        return differ == 0 && predictions.get(0).size() == predictions.get(1).size();
    }

    /** Fixture folders with a model (cases.json and model/), sorted by name. */
    static List<Path> modelFixtures(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException("--fixtures " + dir + ": not a folder");
        try (Stream<Path> list = Files.list(dir)) {
            List<Path> found = list.filter(f -> Files.isRegularFile(f.resolve("cases.json")) && Files.isDirectory(f.resolve("model")))
                    .sorted().toList();
            if (found.isEmpty()) throw new IllegalArgumentException("--fixtures " + dir + ": no model fixture (cases.json and model/) in it");
            return found;
        }
    }
}
