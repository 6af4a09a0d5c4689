package taskvec.cli.organism;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import taskvec.organism.facts.TaskFacts;
import taskvec.organism.train.OrganismFolder;
import taskvec.organism.train.OrganismRun;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * `taskvec organism vision-tower --from VLM --out DIR`: keeps a trained organism's CLIP tower as a CLIPVisionModel
 * folder, the pretrained vision encoder a new VLM starts from (as LLaVA started from OpenAI's CLIP).
 */
@Command(name = "vision-tower", mixinStandardHelpOptions = true,
        description = "Write the CLIP tower of a trained organism VLM folder as a Hugging Face CLIPVisionModel folder with a manifest.")
public final class OrganismVisionTowerCommand implements Callable<Integer> {

    @Option(names = "--from", required = true, paramLabel = "DIR", description = "A trained organism VLM folder.")
    Path from;

    @Option(names = "--out", description = "Output folder (default: data/organism-clip of the project).")
    Path out;

    @Option(names = "--data", description = "Task data root (default: data/tasks of the project).")
    Path data;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(from.resolve(OrganismFolder.MANIFEST))) {
            throw new CommandLine.ParameterException(spec.commandLine(), from + ": no " + OrganismFolder.MANIFEST + " (not an organism folder)");
        }
        Path dir = out != null ? out : OrganismCommand.defaultVisionTowerDir();
        OrganismRun.writeVisionTower(TaskFacts.read(data != null ? data : OrganismCommand.defaultDataRoot()), from, dir);
        System.out.println("wrote the vision tower of " + from + " to " + dir);
        return 0;
    }
}
