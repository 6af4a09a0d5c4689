package taskvec.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import taskvec.model.LoadedModel;
import taskvec.model.RuntimeSettings;
import taskvec.store.Store;
import taskvec.store.repo.Run;
import taskvec.study.config.Study;
import taskvec.study.config.StudyFileReader;
import taskvec.study.data.Dataset;
import taskvec.study.data.DatasetImporter;
import taskvec.study.eval.Evaluator;
import taskvec.study.prompt.PromptEncoder;
import taskvec.study.prompt.PromptPlanner;
import taskvec.study.vectors.VectorMath;

/**
 * What a process needs to plan and do the work of one run: the store, the run's study (parsed
 * from the JSON stored with the run, so a worker sees exactly what the run started with), its
 * dataset, the loaded target model with the SHA-256 of each of its files, and the code version.
 */
public final class RunContext implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;
    private final long runId;
    private final Study study;
    private final Dataset dataset;
    private final LoadedModel model;
    private final boolean ownsModel;
    private final String modelName;
    private final Map<String, String> modelFiles;
    private final RuntimeSettings runtime;
    private final PromptPlanner planner;
    private final PromptEncoder encoder;
    private final Evaluator evaluator;
    private final Source source;

    /**
     * The source model of LLM->VLM vectors (its own tokenizer, so its own encoder and planner);
     * its vectors are stored under its name.
     */
    public record Source(LoadedModel model, String name, Map<String, String> files, PromptEncoder encoder, PromptPlanner planner) {}

    RunContext(Store store, long runId, Study study, Dataset dataset, LoadedModel model, boolean ownsModel,
               RuntimeSettings runtime, LoadedModel sourceModel) {
        this.store = store;
        this.runId = runId;
        this.study = study;
        this.dataset = dataset;
        this.model = model;
        this.ownsModel = ownsModel;
        this.runtime = runtime;
        this.modelName = modelName(study.models().target().hf(), model.modelDir());
        this.modelFiles = FileHashes.folder(model.modelDir());
        this.encoder = new PromptEncoder(model, dataset, study.preResizeWidth());
        this.planner = new PromptPlanner(dataset, study.shots(), encoder.imagePlaceholder());
        this.evaluator = new Evaluator(model, encoder, dataset, study.decoding(), study.lowercase());
        if (sourceModel == null) {
            this.source = null;
        } else {
            PromptEncoder senc = new PromptEncoder(sourceModel, dataset, study.preResizeWidth());
            this.source = new Source(sourceModel, modelName(study.models().source().hf(), sourceModel.modelDir()),
                    FileHashes.folder(sourceModel.modelDir()), senc, new PromptPlanner(dataset, study.shots(), senc.imagePlaceholder()));
        }
    }

    /** A context for planning before the run (and any store) exists (run id 0, no store), then {@link #forRun} once it does. */
    static RunContext planning(Study study, Dataset dataset, LoadedModel model, RuntimeSettings runtime, LoadedModel source) {
        return new RunContext(null, 0, study, dataset, model, true, runtime, source);
    }

    /** The same study, dataset and model for the created run in its store (the model now belongs to the new context). */
    RunContext forRun(Store runStore, long id) {
        return new RunContext(runStore, id, study, dataset, model, ownsModel, runtime, source == null ? null : source.model());
    }

    RuntimeSettings runtime() {
        return runtime;
    }

    /** Opens the context of a stored run: its study JSON is parsed again, the dataset and model loaded. */
    public static RunContext open(Store store, long runId) {
        Run run = store.runs().find(runId).orElseThrow(() -> new WorkflowInputException("run " + runId + ": no such run"));
        Study study = parseStored(run);
        Dataset dataset = DatasetImporter.load(study.datasetRoot(), study.tasks());
        RuntimeSettings runtime = new RuntimeSettings(run.device(), run.dtype());
        LoadedModel model = LoadedModel.load(study.models().target().dir(), runtime);
        LoadedModel source = null;
        try {
            source = loadSource(study, model, runtime);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return new RunContext(store, runId, study, dataset, model, true, runtime, source);
    }

    /**
     * The study's source model (LLM->VLM), loaded and checked to share the target's residual
     * space (layer count and hidden size), or null when the study has none.
     */
    static LoadedModel loadSource(Study study, LoadedModel target, RuntimeSettings runtime) {
        if (study.models().source() == null) return null;
        if (study.models().source().dir() == null) {
            throw new WorkflowInputException(study.file() + ": models.source.dir: not given");
        }
        LoadedModel source = LoadedModel.load(study.models().source().dir(), runtime);
        try {
            VectorMath.requireTransferable(study.models().source().describe(), source.numLayers(), source.hiddenSize(),
                    study.models().target().describe(), target.numLayers(), target.hiddenSize());
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
        return source;
    }

    static Study parseStored(Run run) {
        try {
            JsonNode stored = JSON.readTree(run.studyJson());
            return StudyFileReader.parse(Path.of(stored.path("file").asText("run-" + run.id())), stored.get("study"),
                    Path.of(stored.path("base").asText(".")));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("run " + run.id() + ": the stored study is not JSON: " + e.getMessage(), e);
        }
    }

    /** The JSON stored as a run's study: the file's tree with the model folder and dataset root made absolute. */
    static String storedStudy(Study study, JsonNode tree, Path base) {
        ObjectNode copy = tree.deepCopy();
        ObjectNode target = (ObjectNode) copy.with("models").with("target");
        target.put("dir", study.models().target().dir().toAbsolutePath().toString());
        if (study.models().source() != null && study.models().source().dir() != null) {
            ((ObjectNode) copy.with("models").with("source")).put("dir", study.models().source().dir().toAbsolutePath().toString());
        }
        copy.with("dataset").put("root", study.datasetRoot().toAbsolutePath().toString());
        ObjectNode stored = JSON.createObjectNode();
        stored.put("file", study.file().toString());
        stored.put("base", base.toAbsolutePath().toString());
        stored.set("study", copy);
        return stored.toString();
    }

    /** The name stored in the model column: the hub id, else the folder (with its parent when it is just "model"). */
    static String modelName(String hf, Path dir) {
        if (hf != null) return hf;
        Path abs = dir.toAbsolutePath().normalize();
        String name = abs.getFileName().toString();
        return name.equals("model") && abs.getParent() != null ? abs.getParent().getFileName() + "/" + name : name;
    }

    public Store store() {
        return store;
    }

    public long runId() {
        return runId;
    }

    public Study study() {
        return study;
    }

    public Dataset dataset() {
        return dataset;
    }

    public LoadedModel model() {
        return model;
    }

    public String modelName() {
        return modelName;
    }

    public PromptPlanner planner() {
        return planner;
    }

    public PromptEncoder encoder() {
        return encoder;
    }

    public Evaluator evaluator() {
        return evaluator;
    }

    /** The source model of LLM->VLM vectors, or null. */
    public Source source() {
        return source;
    }

    /** The key part of items that run on the source model: its identity. */
    public Map<String, Object> sourcePart() {
        if (source == null) throw new IllegalStateException("run " + runId + ": the study has no source model");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", source.name());
        m.put("files", source.files());
        return m;
    }

    /** The key part every item carries: the model's identity (name and file hashes) and the engine settings. */
    public Map<String, Object> modelPart() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", modelName);
        m.put("files", modelFiles);
        m.put("device", runtime.device());
        m.put("dtype", runtime.dtype());
        return m;
    }

    /** The identities of the run's models, as stored with the run. */
    public String modelsJson() {
        try {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", modelName);
            m.put("dir", model.modelDir().toAbsolutePath().toString());
            m.put("revision", study.models().target().revision());
            m.put("files", modelFiles);
            if (source == null) return JSON.writeValueAsString(java.util.List.of(m));
            Map<String, Object> src = new LinkedHashMap<>();
            src.put("name", source.name());
            src.put("role", "source");
            src.put("dir", source.model().modelDir().toAbsolutePath().toString());
            src.put("revision", study.models().source().revision());
            src.put("files", source.files());
            m.put("role", "target");
            return JSON.writeValueAsString(java.util.List.of(m, src));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (ownsModel) {
            model.close();
            if (source != null) source.model().close();
        }
    }
}
