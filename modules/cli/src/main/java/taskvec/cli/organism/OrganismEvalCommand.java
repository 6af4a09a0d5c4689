package taskvec.cli.organism;

import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import taskvec.organism.eval.OrganismEvaluator;
import taskvec.organism.facts.TaskFacts;
import taskvec.organism.train.OrganismFolder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * `taskvec organism eval [DIR]`: the organism's accuracies as one JSON object, printed and written to DIR/eval.json
 * (the committed evidence the README's organism numbers are read from), with the SHA-256 of the weights evaluated.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate an organism folder (the shipped VLM by default; its language model works too), print one JSON "
                + "object and write it to DIR/eval.json."})
public final class OrganismEvalCommand implements Callable<Integer> {

    /** The evaluation's file in the model folder. */
    static final String EVAL_FILE = "eval.json";

    @Parameters(arity = "0..1", paramLabel = "DIR", description = "Model folder (default: data/organism of the project).")
    Path dir;

    @Option(names = "--items", description = "At most this many queries per task and split (default: all).")
    int items = Integer.MAX_VALUE;

    @Option(names = "--seed", description = "Seed of the demonstration draws (default: 1).")
    long seed = 1;

    @Option(names = "--data", description = "Task data root (default: data/tasks of the project).")
    Path data;

    @Override
    public Integer call() throws Exception {
        Path model = dir != null ? dir : OrganismCommand.defaultModelDir();
        TaskFacts facts = TaskFacts.read(data != null ? data : OrganismCommand.defaultDataRoot());
        Map<String, Object> result = new LinkedHashMap<>(new OrganismEvaluator(model, facts, items, seed).evaluate());
        result.put("seed", seed);
        result.put("items_per_task", items == Integer.MAX_VALUE ? "all" : Integer.toString(items));
        result.put("model.safetensors", OrganismFolder.sha256(model.resolve("model.safetensors")));
        String text = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(result);
        System.out.println(text);
        Files.writeString(model.resolve(EVAL_FILE), text + "\n");
        return 0;
    }
}
