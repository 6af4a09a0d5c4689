package taskvec.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import java.util.ArrayList;
import java.util.List;
import taskvec.cli.common.ExitCodes;
import taskvec.study.StudyInputException;
import taskvec.study.check.InputCheck;
import taskvec.study.config.ModelRef;
import taskvec.study.config.Study;
import taskvec.study.config.StudyFileReader;
import taskvec.study.config.StudyModels;
import taskvec.study.data.Dataset;
import taskvec.study.data.DatasetImporter;
import taskvec.study.data.Split;

/**
 * `taskvec study check STUDY.yaml`: finds the study's models, validates the study file, its dataset and its inputs
 * on the models' config and tokenizer (no weights loaded), then prints the resolved settings as YAML.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Find the study's models as run does, validate the study file, its dataset and its inputs (on the"
                + " models' configs and tokenizers, no weights loaded) and print the resolved settings.")
public final class StudyCheckCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "STUDY.yaml", description = "The study file.")
    Path file;

    @CommandLine.Option(names = "--model-dir", paramLabel = "DIR", description = "the target model's folder (else models.target in the file: dir, or hf + revision in the local Hugging Face cache)")
    Path modelDir;

    @CommandLine.Option(names = "--source-dir", paramLabel = "DIR", description = "the source LLM's folder (else models.source in the file)")
    Path sourceDir;

    @CommandLine.Option(names = "--json", description = "print JSON: {file, valid, tasks: [{task, val, test}], settings: {the resolved study}}")
    boolean json;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        // the models are found as `run` finds them (a folder, or the pinned revision in the local Hugging Face cache)
        Study study = StudyModels.locate(StudyFiles.read(file), modelDir, sourceDir, System.getenv());
        for (ModelRef m : new ModelRef[] {study.models().target(), study.models().source()}) {
            if (m != null && !Files.isRegularFile(m.dir().resolve("config.json"))) {
                throw new StudyInputException(file + ": models: " + m.dir() + ": not a model folder (no config.json)");
            }
        }
        Dataset ds = DatasetImporter.load(study.datasetRoot(), study.tasks());
        checkInputs(study, ds);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode root = Json.object();
            root.put("file", file.toString());
            root.put("valid", true);
            ArrayNode tasks = root.putArray("tasks");
            for (String task : study.tasks()) {
                tasks.addObject().put("task", task).put("val", ds.items(task, Split.VAL).size()).put("test", ds.items(task, Split.TEST).size());
            }
            root.set("settings", Json.MAPPER.valueToTree(StudyFileReader.describe(study)));
            Json.print(out, root);
            return ExitCodes.OK;
        }
        out.println("# " + file + ": valid");
        for (String task : study.tasks()) {
            out.println("# " + task + ": " + ds.items(task, Split.VAL).size() + " val, " + ds.items(task, Split.TEST).size() + " test items");
        }
        out.print(StudyFileReader.describeYaml(study));
        out.flush();
        return ExitCodes.OK;
    }

    /** What `run` checks before it starts, on the models' config.json and tokenizer.json alone (no weights to load). */
    private static void checkInputs(Study study, Dataset ds) {
        List<InputCheck.CheckedModel> models = new ArrayList<>();
        try {
            models.add(InputCheck.CheckedModel.read(study.models().target().dir(), true));
            ModelRef source = study.models().source();
            if (source != null) models.add(InputCheck.CheckedModel.read(source.dir(), false));
            InputCheck.require(study, ds, models);
        } finally {
            models.forEach(m -> m.tokens().close());
        }
    }
}
