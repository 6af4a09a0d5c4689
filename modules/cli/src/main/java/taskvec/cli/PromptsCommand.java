package taskvec.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;
import taskvec.cli.common.ExitCodes;
import taskvec.model.layout.ImageSize;
import taskvec.study.StudyInputException;
import taskvec.study.config.Study;
import taskvec.study.config.StudyModels;
import taskvec.study.data.Dataset;
import taskvec.study.data.DatasetImporter;
import taskvec.study.data.Split;
import taskvec.study.design.StudyPrompts;
import taskvec.study.prompt.PlannedPrompt;
import taskvec.study.prompt.PromptTokens;
import taskvec.study.prompt.ResolvedPrompt;

/**
 * `taskvec prompts STUDY.yaml`: prints the prompts the study would run on the target model, one
 * JSON object per line, with positions on the expanded token sequence and the token text there.
 */
@Command(name = "prompts", mixinStandardHelpOptions = true,
        description = "Print a study's prompts with their read/write positions, one JSON object per line.")
public final class PromptsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "STUDY.yaml", description = "The study file.")
    Path file;

    @Option(names = "--model-dir", paramLabel = "DIR", description = "The target model's folder (overrides models.target.dir).")
    Path modelDir;

    @Option(names = "--task", paramLabel = "T", description = "Only this task.")
    String task;

    @Option(names = "--seed", paramLabel = "S", description = "Only this seed (prompts without a seed are always listed).")
    Integer seed;

    @Option(names = "--split", paramLabel = "val|test", description = "Only this split.")
    String split;

    @Option(names = "--limit", paramLabel = "K", description = "At most K prompts.")
    Integer limit;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Integer call() throws Exception {
        Study study = StudyFiles.read(file);
        Path dir = StudyModels.locateTarget(study, modelDir, System.getenv()).models().target().dir();
        if (task != null && !study.tasks().contains(task)) {
            throw new StudyInputException("--task: '" + task + "' is not one of the study's tasks " + study.tasks());
        }
        if (seed != null && !study.seeds().contains(seed)) {
            throw new StudyInputException("--seed: " + seed + " is not one of the study's seeds " + study.seeds());
        }
        if (limit != null && limit < 0) throw new IllegalArgumentException("--limit: must be >= 0");
        Split splitFilter = split == null ? null : Split.parse(split);
        Dataset dataset = DatasetImporter.load(study.datasetRoot(), study.tasks());
        PrintWriter out = spec.commandLine().getOut();
        // the tokenizer and config.json are all positions need: no weights are loaded
        OptionalInt width = study.preResizeWidth() == null ? OptionalInt.empty() : OptionalInt.of(study.preResizeWidth());
        try (PromptTokens folder = PromptTokens.read(dir)) {
            PromptTokens tokens = folder.withImageSizes(image -> ImageSize.of(dataset.resolveImage(image), width));
            List<PlannedPrompt> plans = StudyPrompts.of(study, dataset, tokens.imagePlaceholder(),
                    new StudyPrompts.Filter(task, seed, splitFilter));
            int n = limit == null ? plans.size() : Math.min(limit, plans.size());
            for (int i = 0; i < n; i++) {
                ObjectNode json = toJson(tokens.resolve(plans.get(i)));
                json.put("layout", layout(tokens.layOut(plans.get(i)).tokens()));
                out.println(JSON.writeValueAsString(json));
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** The laid-out tokens, space-separated, with a run of one token shown once with its count ("<image>x576"). */
    static String layout(String[] tokens) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < tokens.length; ) {
            int j = i;
            while (j < tokens.length && tokens[j].equals(tokens[i])) j++;
            if (sb.length() > 0) sb.append(' ');
            sb.append(tokens[i].replace("\n", "\\n"));
            if (j - i > 1) sb.append('x').append(j - i);
            i = j;
        }
        return sb.toString();
    }

    static ObjectNode toJson(ResolvedPrompt r) {
        PlannedPrompt p = r.plan();
        ObjectNode o = JSON.createObjectNode();
        o.put("task", p.task());
        if (p.seed() == null) o.putNull("seed"); else o.put("seed", p.seed());
        if (p.split() == null) o.putNull("split"); else o.put("split", p.split().fileName());
        if (p.item() == null) o.putNull("item"); else o.put("item", p.item());
        o.put("role", p.role().label());
        o.put("spec", p.spec() == null ? "query" : p.spec().label());
        o.put("modality", p.modality().label());
        o.put("text", p.text());
        p.images().forEach(o.putArray("images")::add);
        p.demos().forEach(o.putArray("demos")::add);
        o.put("length", r.length());
        if (r.readPosition() != null) {
            o.put("read_position", r.readPosition());
            o.put("read_token", r.readToken());
        }
        o.put("write_position", r.writePosition());
        o.put("write_token", r.writeToken());
        return o;
    }
}
