package taskvec.cli.organism;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import taskvec.organism.facts.TaskFacts;
import taskvec.organism.train.OrganismFolder;
import taskvec.organism.train.OrganismRun;
import taskvec.organism.train.OrganismSchedule;
import taskvec.organism.train.OrganismSettings;
import taskvec.organism.train.OrganismTrainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * `taskvec organism train`: the organism's schedule. First its language model (the Llama decoder alone, on the
 * text-only parts of the mix), written as a LlamaForCausalLM folder; then the VLM made from it (the pretrained
 * CLIP tower of data/organism-clip and a fresh projector added), trained with pictures, written as a LLaVA folder.
 * Both with manifests.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train the organism (deterministic for a seed): first its language model, written as a Hugging Face "
                + "LlamaForCausalLM folder, then the VLM made from it, written as a Hugging Face LLaVA folder."})
public final class OrganismTrainCommand implements Callable<Integer> {

    @Option(names = "--out", description = "The VLM's folder (default: data/organism of the project).")
    Path out;

    @Option(names = "--llm-out", description = "The language model's folder (default: data/organism-llm of the project).")
    Path llmOut;

    @Option(names = "--from-llm", paramLabel = "DIR",
            description = "Skip the first phase: make the VLM from this existing language model folder.")
    Path fromLlm;

    @Option(names = "--llm-only", description = "Stop after the first phase (the language model).")
    boolean llmOnly;

    @Option(names = "--vision-tower", paramLabel = "DIR",
            description = "The pretrained CLIP tower the VLM starts from (default: data/organism-clip of the project).")
    Path visionTower;

    @Option(names = "--fresh-vision-tower", description = "Start the VLM's CLIP tower from random weights instead.")
    boolean freshVisionTower;

    @Option(names = "--steps", description = "Training steps of the VLM phase (default: the shipped schedule's).")
    Integer steps;

    @Option(names = "--llm-steps", description = "Training steps of the language model phase (default: the shipped schedule's).")
    Integer llmSteps;

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
        if (fromLlm != null && llmOnly) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--from-llm and --llm-only exclude each other");
        }
        if (visionTower != null && freshVisionTower) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--vision-tower and --fresh-vision-tower exclude each other");
        }
        Path tower = freshVisionTower ? null : visionTower != null ? visionTower : OrganismCommand.defaultVisionTowerDir();
        if (tower != null && !llmOnly && !Files.isRegularFile(tower.resolve("model.safetensors"))) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    tower + ": no model.safetensors (not a vision tower folder; make one with `organism vision-tower`)");
        }
        OrganismSchedule shipped = tiny ? OrganismSchedule.of(OrganismSettings.tiny(), OrganismSettings.tiny().steps())
                : OrganismSchedule.shipped();
        OrganismSettings vlm = shipped.vlm();
        if (steps != null) {
            vlm = vlm.withSteps(steps);
        }
        if (seed != null) {
            vlm = vlm.withSeed(seed);
        }
        if (lateReadShare != null) {
            vlm = vlm.withLateReadShare(lateReadShare);
        }
        OrganismSchedule schedule = OrganismSchedule.of(vlm, llmSteps != null ? llmSteps : shipped.languageModel().steps());
        Path dir = out != null ? out : OrganismCommand.defaultModelDir();
        Path llmDir = llmOut != null ? llmOut : OrganismCommand.defaultLanguageModelDir();
        TaskFacts facts = TaskFacts.read(data != null ? data : OrganismCommand.defaultDataRoot());
        if (fromLlm != null) {
            if (!Files.isRegularFile(fromLlm.resolve(OrganismFolder.MANIFEST))) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        fromLlm + ": no " + OrganismFolder.MANIFEST + " (not an organism language model folder)");
            }
            report(schedule.vlm(), OrganismRun.trainAndWrite(facts, schedule.vlm(), dir, System.err, fromLlm, tower), dir);
        } else if (llmOnly) {
            report(schedule.languageModel(), OrganismRun.trainAndWrite(facts, schedule.languageModel(), llmDir, System.err, null, null),
                    llmDir);
        } else {
            OrganismTrainer.Result r = OrganismRun.trainSchedule(facts, schedule, tower, llmDir, dir, System.err);
            System.out.printf("wrote the language model to %s%n", llmDir);
            report(schedule.vlm(), r, dir);
        }
        return 0;
    }

    private static void report(OrganismSettings s, OrganismTrainer.Result r, Path dir) {
        System.out.printf("trained %d steps in %.0f s (%.2f steps/s); wrote %s%n", s.steps(), r.seconds(), r.stepsPerSecond(), dir);
    }

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
}
