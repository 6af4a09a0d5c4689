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
import taskvec.study.StudyInputException;
import taskvec.study.check.InputCheck;
import taskvec.study.config.ModelRef;
import taskvec.study.config.Study;
import taskvec.study.config.StudyFileReader;
import taskvec.study.data.Dataset;
import taskvec.study.data.DatasetImporter;
import taskvec.study.data.Split;

/**
 * `taskvec study check STUDY.yaml`: validates a study file and its dataset, then prints the
 * resolved settings (every default filled in) as YAML.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validate a study file (and its dataset) and print the resolved settings.")
public final class StudyCheckCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "STUDY.yaml", description = "The study file.")
    Path file;

    @CommandLine.Option(names = "--json", description = "print JSON: {file, valid, tasks: [{task, val, test}], settings: {the resolved study}}")
    boolean json;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Study study = StudyFiles.read(file);
        for (ModelRef m : new ModelRef[] {study.models().target(), study.models().source()}) {
            if (m != null && m.dir() != null && !Files.isRegularFile(m.dir().resolve("config.json"))) {
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
            if (study.models().target().dir() != null) models.add(InputCheck.CheckedModel.read(study.models().target().dir(), true));
            ModelRef source = study.models().source();
            if (source != null && source.dir() != null) models.add(InputCheck.CheckedModel.read(source.dir(), false));
            InputCheck.require(study, ds, models);
        } finally {
            models.forEach(m -> m.tokens().close());
        }
    }
}
