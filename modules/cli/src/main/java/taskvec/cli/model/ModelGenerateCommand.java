package taskvec.cli.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import taskvec.cli.common.ExitCodes;
import taskvec.cli.common.RuntimeOptions;
import taskvec.model.EncodedPrompt;
import taskvec.model.Row;
import taskvec.model.RowResult;
import taskvec.model.runtime.LoadedModel;

/** `taskvec model generate DIR --prompt TEXT [--image FILE]`: greedy continuation of one prompt. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Greedy generation for one prompt. Escapes \\n in --prompt become newlines; "
                + "each --image fills one image placeholder of the prompt, in order (one is appended at the front if the prompt has none).")
public final class ModelGenerateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "Hugging Face model folder.")
    Path dir;

    @Option(names = "--prompt", required = true, description = "Prompt text, e.g. 'Q:Greece\\nA:'.")
    String prompt;

    @Option(names = "--image", description = "Image file(s) for the prompt's image placeholder(s).")
    List<Path> images = new ArrayList<>();

    @Option(names = "--max-new-tokens", defaultValue = "16", description = "Default: ${DEFAULT-VALUE}.")
    int maxNewTokens;

    @Option(names = "--pre-resize-width", description = "Resize images to this width first, keeping the aspect ratio (the study uses 224).")
    Integer preResizeWidth;

    @Mixin RuntimeOptions runtime;

    @Spec CommandSpec spec;

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Override
    public Integer call() {
        String text = prompt.replace("\\n", "\n");
        try (LoadedModel model = LoadedModel.load(dir, runtime.settings())) {
            if (!images.isEmpty()) {
                if (!model.info().hasVision()) {
                    throw new IllegalArgumentException(dir + ": --image needs a vision-language model folder");
                }
                String placeholder = model.tokenizer().imagePlaceholder();
                if (!text.contains(placeholder)) text = (placeholder + "\n").repeat(images.size()) + text;
            }
            OptionalInt width = preResizeWidth == null ? OptionalInt.empty() : OptionalInt.of(preResizeWidth);
            EncodedPrompt encoded = model.encode(text, images, width);
            RowResult result = model.run(List.of(new Row(encoded, List.of(), List.of(), maxNewTokens, Set.of()))).get(0);
            out().println("prompt tokens   " + encoded.ids().length);
            out().println("generated ids   " + Arrays.toString(result.generated()));
            out().println("generated text  " + model.tokenizer().decode(result.generated()).replace("\n", "\\n"));
        }
        return ExitCodes.OK;
    }
}
