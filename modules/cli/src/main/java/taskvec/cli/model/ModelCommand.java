package taskvec.cli.model;

import picocli.CommandLine.Command;

/** `taskvec model ...`: look at, check and try a model folder. */
@Command(name = "model", description = "Inspect, verify and run a Hugging Face model folder.",
        mixinStandardHelpOptions = true,
        subcommands = {ModelVerifyCommand.class, ModelInfoCommand.class, ModelGenerateCommand.class})
public final class ModelCommand {
}
