package taskvec.workflow.context;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import taskvec.model.runtime.LoadedModel;
import taskvec.study.config.ModelRef;
import taskvec.study.config.Study;
import taskvec.study.data.Dataset;
import taskvec.study.data.Split;
import taskvec.study.data.TaskItem;
import taskvec.study.eval.Evaluator;
import taskvec.study.prompt.Modality;
import taskvec.study.prompt.PlannedPrompt;
import taskvec.study.prompt.PromptEncoder;
import taskvec.study.prompt.PromptPlanner;
import taskvec.study.prompt.ResolvedPrompt;

/**
 * A model a run works with (the target, or the source model of LLM->VLM vectors): the loaded
 * model, the name its rows are stored under, the SHA-256 of each of its files, and the prompt
 * planner, encoder and evaluator for its tokenizer.
 */
public record StudyModel(LoadedModel model, String name, Map<String, String> files, PromptEncoder encoder, PromptPlanner planner,
                         Evaluator evaluator) {

    public static StudyModel of(LoadedModel model, ModelRef ref, Study study, Dataset dataset) {
        PromptEncoder encoder = new PromptEncoder(model, dataset, study.preResizeWidth());
        return new StudyModel(model, storedName(ref.hf(), model.modelDir()), FileHashes.folder(model.modelDir()), encoder,
                new PromptPlanner(dataset, study.shots(), encoder.imagePlaceholder()),
                new Evaluator(model, encoder, dataset, study.decoding(), study.lowercase()));
    }

    public int numLayers() {
        return model.numLayers();
    }

    /** The no-context query prompts of these items of a task and split, in the given modality, resolved for this model. */
    public List<ResolvedPrompt> queries(String task, Split split, List<TaskItem> items, Modality modality) {
        List<PlannedPrompt> plans = new ArrayList<>();
        for (TaskItem q : items) plans.add(planner.query(task, split, q, modality));
        return encoder.resolveAll(plans);
    }

    /** Its identity in keys: the name and the file hashes. */
    public Map<String, Object> keyPart() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("files", files);
        return m;
    }

    /** The name stored in the model column: the hub id, else the folder (with its parent when it is just "model"). */
    public static String storedName(String hf, Path dir) {
        if (hf != null) return hf;
        Path abs = dir.toAbsolutePath().normalize();
        String name = abs.getFileName().toString();
        return name.equals("model") && abs.getParent() != null ? abs.getParent().getFileName() + "/" + name : name;
    }
}
