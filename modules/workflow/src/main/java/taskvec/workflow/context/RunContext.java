package taskvec.workflow.context;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import taskvec.model.RuntimeSettings;
import taskvec.model.runtime.LoadedModel;
import taskvec.store.Store;
import taskvec.store.repo.Run;
import taskvec.study.config.Study;
import taskvec.study.data.Dataset;
import taskvec.study.data.DatasetImporter;
import taskvec.study.vectors.VectorMath;
import taskvec.study.vectors.VectorName;

/**
 * What a process needs to plan and do the work of one run: the store, the run's study (parsed
 * from the JSON stored with the run, so a worker sees exactly what the run started with), its
 * dataset, and its models: the target, and the source model of LLM->VLM vectors when the study
 * has one, both as {@link StudyModel}s.
 */
public final class RunContext implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;
    private final long runId;
    private final Study study;
    private final Dataset dataset;
    private final RuntimeSettings runtime;
    private final StudyModel target;
    private final StudyModel source;
    private final boolean ownsModels;

    /** @param store null while a study is checked and planned before any database is opened; source: null when the study has none */
    public RunContext(Store store, long runId, Study study, Dataset dataset, RuntimeSettings runtime, LoadedModel target,
                      LoadedModel source, boolean ownsModels) {
        this.store = store;
        this.runId = runId;
        this.study = study;
        this.dataset = dataset;
        this.runtime = runtime;
        this.target = StudyModel.of(target, study.models().target(), study, dataset);
        this.source = source == null ? null : StudyModel.of(source, study.models().source(), study, dataset);
        this.ownsModels = ownsModels;
    }

    /** The same study, dataset and models for the created run in its store (the models now belong to the new context). */
    public RunContext forRun(Store runStore, long id) {
        return new RunContext(runStore, id, study, dataset, runtime, target.model(), source == null ? null : source.model(), ownsModels);
    }

    public RuntimeSettings runtime() {
        return runtime;
    }

    /** Opens the context of a stored run: its study JSON is parsed again, the dataset and models loaded. */
    public static RunContext open(Store store, long runId) {
        Run run = store.runs().find(runId).orElseThrow(() -> new WorkflowInputException("run " + runId + ": no such run"));
        Study study = StoredStudy.parse(run);
        Dataset dataset = DatasetImporter.load(study.datasetRoot(), study.tasks());
        RuntimeSettings runtime = new RuntimeSettings(run.device(), run.dtype());
        LoadedModel model = LoadedModel.load(study.models().target().dir(), runtime);
        LoadedModel source;
        try {
            source = loadSource(study, model, runtime);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return new RunContext(store, runId, study, dataset, runtime, model, source, true);
    }

    /**
     * The study's source model (LLM->VLM), loaded and checked to share the target's residual
     * space (layer count and hidden size), or null when the study has none.
     */
    public static LoadedModel loadSource(Study study, LoadedModel target, RuntimeSettings runtime) {
        if (study.models().source() == null) return null;
        if (study.models().source().dir() == null) {
            throw new WorkflowInputException(study.file() + ": models.source.dir: not given");
        }
        LoadedModel source = LoadedModel.load(study.models().source().dir(), runtime);
        try {
            taskvec.study.config.StudyModels.requireTransferable(study.models().source().describe(), source.numLayers(), source.hiddenSize(),
                    study.models().target().describe(), target.numLayers(), target.hiddenSize());
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
        return source;
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

    /** The model that is evaluated (and captures the study's own vectors). */
    public StudyModel target() {
        return target;
    }

    /** The source model of LLM->VLM vectors, if the study has one. */
    public Optional<StudyModel> source() {
        return Optional.ofNullable(source);
    }

    public boolean hasSource() {
        return source != null;
    }

    /** The model a vector is captured on. */
    public StudyModel modelOf(VectorName vector) {
        if (!vector.onSource()) return target;
        if (source == null) throw new IllegalStateException("run " + runId + ": " + vector + " needs a source model, the study has none");
        return source;
    }

    /** The key part every item carries: the target's identity (name and file hashes) and the engine settings. */
    public Map<String, Object> modelPart() {
        Map<String, Object> m = target.keyPart();
        m.put("device", runtime.device());
        m.put("dtype", runtime.dtype());
        return m;
    }

    /** The identities of the run's models, as stored with the run. */
    public String modelsJson() {
        List<Map<String, Object>> models = new ArrayList<>();
        Map<String, Object> t = describe(target, study.models().target().revision());
        models.add(t);
        if (source != null) {
            t.put("role", "target");
            Map<String, Object> s = describe(source, study.models().source().revision());
            s.put("role", "source");
            models.add(s);
        }
        try {
            return JSON.writeValueAsString(models);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> describe(StudyModel m, String revision) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", m.name());
        out.put("dir", m.model().modelDir().toAbsolutePath().toString());
        out.put("revision", revision);
        out.put("files", m.files());
        return out;
    }

    @Override
    public void close() {
        if (ownsModels) {
            target.model().close();
            if (source != null) source.model().close();
        }
    }
}
