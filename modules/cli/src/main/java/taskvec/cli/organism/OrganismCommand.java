package taskvec.cli.organism;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.nio.file.Path;

/** `taskvec organism`: the embedded model's images, training and evaluation. */
@Command(name = "organism", mixinStandardHelpOptions = true,
        description = "The embedded organism: generate its images, train it, evaluate it, keep a trained CLIP tower.",
        subcommands = {OrganismImagesCommand.class, OrganismTrainCommand.class, OrganismEvalCommand.class,
                OrganismVisionTowerCommand.class})
public final class OrganismCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The project root the launcher passes (-Dtaskvec.root), else the working directory. */
    static Path projectRoot() {
        return Path.of(System.getProperty("taskvec.root", ".")).toAbsolutePath().normalize();
    }

    static Path defaultDataRoot() {
        return projectRoot().resolve("data/tasks");
    }

    static Path defaultModelDir() {
        return projectRoot().resolve("data/organism");
    }

    static Path defaultLanguageModelDir() {
        return projectRoot().resolve("data/organism-llm");
    }

    static Path defaultVisionTowerDir() {
        return projectRoot().resolve("data/organism-clip");
    }
}
