package taskvec.cli.organism;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import taskvec.organism.facts.TaskFacts;
import taskvec.organism.train.OrganismRun;
import taskvec.organism.train.OrganismSettings;
import taskvec.organism.train.OrganismTrainer;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** `taskvec organism train`: trains the organism and writes its model folder with a manifest. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the organism (deterministic for a seed) and write it as a Hugging Face LLaVA folder.")
public final class OrganismTrainCommand implements Callable<Integer> {

    @Option(names = "--out", description = "Output folder (default: data/organism of the project).")
    Path out;

    @Option(names = "--steps", description = "Training steps (default: the shipped organism's).")
    Integer steps;

    @Option(names = "--seed", description = "Random seed (default: 1).")
    Long seed;

    @Option(names = "--late-read-share", description = "Share of sequences trained with the late-read block (0 switches it off).")
    Double lateReadShare;

    @Option(names = "--tiny", description = "The tiny test-size organism instead of the shipped size.")
    boolean tiny;

    @Option(names = "--data", description = "Task data root (default: data/tasks of the project).")
    Path data;

    @Override
    public Integer call() {
        OrganismSettings s = tiny ? OrganismSettings.tiny() : OrganismSettings.shipped();
        if (steps != null) {
            s = s.withSteps(steps);
        }
        if (seed != null) {
            s = s.withSeed(seed);
        }
        if (lateReadShare != null) {
            s = s.withLateReadShare(lateReadShare);
        }
        Path dir = out != null ? out : OrganismCommand.defaultModelDir();
        TaskFacts facts = TaskFacts.read(data != null ? data : OrganismCommand.defaultDataRoot());
        OrganismTrainer.Result r = OrganismRun.trainAndWrite(facts, s, dir, System.err);
        System.out.printf("trained %d steps in %.0f s (%.2f steps/s); wrote %s%n", s.steps(), r.seconds(), r.stepsPerSecond(), dir);
        return 0;
    }
}
