package taskvec.cli.organism;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import taskvec.organism.facts.TaskFacts;
import taskvec.organism.images.EntityImages;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** `taskvec organism images`: (re)draws every entity's picture under the data root. */
@Command(name = "images", mixinStandardHelpOptions = true,
        description = "Draw the picture of every task entity into <data>/images/{domain}/{id}.png (deterministic).")
public final class OrganismImagesCommand implements Callable<Integer> {

    @Option(names = "--data", description = "Task data root (default: data/tasks of the project).")
    Path data;

    @Override
    public Integer call() {
        Path root = data != null ? data : OrganismCommand.defaultDataRoot();
        int n = EntityImages.withBuiltInFlags().writeAll(TaskFacts.read(root));
        System.out.println("wrote " + n + " images under " + root.resolve("images"));
        return 0;
    }
}
