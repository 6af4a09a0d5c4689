package taskvec.cli.organism;

import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import taskvec.organism.eval.OrganismEvaluator;
import taskvec.organism.facts.TaskFacts;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** `taskvec organism eval [DIR]`: prints the organism's accuracies as one JSON object. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate an organism folder (the shipped one by default) and print one JSON object.")
public final class OrganismEvalCommand implements Callable<Integer> {

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
        Map<String, Object> result = new OrganismEvaluator(model, facts, items, seed).evaluate();
        System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(result));
        return 0;
    }
}
