package taskvec.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.impl.DefaultCamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import taskvec.model.RuntimeSettings;
import taskvec.model.runtime.LoadedModel;
import taskvec.store.DatabaseFaults;
import taskvec.store.Store;
import taskvec.store.repo.NewRun;
import taskvec.store.repo.Run;
import taskvec.store.repo.Status;
import taskvec.store.repo.WorkItem;
import taskvec.study.config.Study;
import taskvec.study.check.InputCheck;
import taskvec.study.config.StudyFileReader;
import taskvec.study.config.StudyModels;
import taskvec.study.data.Dataset;
import taskvec.study.data.DatasetImporter;
import taskvec.workflow.context.Provenance;
import taskvec.workflow.context.RunContext;
import taskvec.workflow.context.StoredStudy;
import taskvec.workflow.context.WorkflowInputException;
import taskvec.workflow.plan.PlannedItem;
import taskvec.workflow.stage.Stage;
import taskvec.workflow.stage.Stages;

/**
 * Runs studies as the Camel routes of {@link StudyRoutes} over one store: creates a run
 * (after every input is checked, so bad input writes nothing), runs or resumes it, and keeps the
 * per-run context (study, dataset, loaded model, plan) this process works with.
 */
public final class StudyWorkflow implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StudyWorkflow.class);

    private final Store store;
    private final WorkflowOptions options;
    private final Map<Long, RunContext> contexts = new ConcurrentHashMap<>();
    private final Map<Long, StudyPlan> plans = new ConcurrentHashMap<>();
    private CamelContext camel;

    public StudyWorkflow(Store store, WorkflowOptions options) {
        this.store = store;
        this.options = options;
    }

    public Store store() {
        return store;
    }

    public WorkflowOptions options() {
        return options;
    }

    /**
     * Checks the study file, the dataset and the models (loading them), every input a run needs
     * ({@link InputCheck}: images decode, texts tokenize, positions resolve, prompts fit) and plans
     * every stage, all without a database, then records the run. Returns its id.
     */
    public long create(Path studyFile, Path modelDir, String name, Path baseDir) {
        return create(studyFile, modelDir, name, baseDir, RuntimeSettings.defaults());
    }

    /** As {@link #create(Path, Path, String, Path)} on the given device and dtype (recorded with the run; workers use them too). */
    public long create(Path studyFile, Path modelDir, String name, Path baseDir, RuntimeSettings runtime) {
        try (CheckedStudy checked = check(studyFile, modelDir, null, baseDir, runtime)) {
            return create(checked, name);
        }
    }

    /**
     * Everything {@link #create} checks, touching no database: the CLI calls it before it opens the
     * store, so bad input never starts (or initialises) a server and never writes a run row. Both models are
     * located (the folders given, else the study's dir, else its hf revision in the local Hugging Face cache) and
     * their configs, files, compatibility and memory checked before either loads.
     */
    public static CheckedStudy check(Path studyFile, Path modelDir, Path sourceDir, Path baseDir, RuntimeSettings runtime) {
        JsonNode tree = StudyFileReader.readTree(studyFile);
        Study study = StudyModels.locate(StudyFileReader.parse(studyFile, tree, baseDir), modelDir, sourceDir, System.getenv());
        StudyModels.check(study, runtime);
        Dataset dataset = DatasetImporter.load(study.datasetRoot(), study.tasks());
        LoadedModel model = LoadedModel.load(study.models().target().dir(), runtime);
        LoadedModel source;
        try {
            source = RunContext.loadSource(study, model, runtime); // a mismatched residual space is refused here, before any write
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        RunContext planning = new RunContext(null, 0, study, dataset, runtime, model, source, true); // no store, no run yet
        try {
            study.resolveLayers(model.numLayers());
            List<InputCheck.CheckedModel> models = new ArrayList<>(List.of(InputCheck.CheckedModel.of(model, true)));
            if (source != null) models.add(InputCheck.CheckedModel.of(source, false));
            InputCheck.require(study, dataset, models);
            new StudyPlan(planning); // every prompt plans and every key computes before anything is written
        } catch (RuntimeException e) {
            planning.close();
            throw e;
        }
        return new CheckedStudy(studyFile, tree, baseDir, planning);
    }

    /** Records a checked study as a new run of this store; the run takes over its models. Returns the run id. */
    public long create(CheckedStudy checked, String name) {
        RunContext planning = checked.planning();
        RuntimeSettings runtime = planning.runtime();
        long runId = store.runs().create(new NewRun(name != null ? name : defaultName(checked.file()),
                StoredStudy.json(checked.study(), checked.tree(), checked.baseDir()), Provenance.runCodeVersion(), planning.modelsJson(),
                enginesJson(), runtime.device(), runtime.dtype()));
        contexts.put(runId, planning.forRun(store, runId));
        checked.handOver();
        return runId;
    }

    /** The engine as DJL loaded it (versions and flavor), as stored with the run. */
    private static String enginesJson() {
        try {
            return new ObjectMapper().writeValueAsString(Provenance.engine());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String defaultName(Path studyFile) {
        String f = studyFile.getFileName().toString();
        return f.endsWith(".yaml") ? f.substring(0, f.length() - 5) : f;
    }

    private volatile boolean stopping;

    /**
     * Why this process cannot do the items of a run, or empty when it can: a worker joining from
     * another host must run the same code version, and find the run's study, dataset and model
     * folders at the same paths with the same files (by their SHA-256, as the run recorded them).
     */
    public Optional<String> whyCannotServe(long runId) {
        Run run = store.runs().find(runId).orElseThrow(() -> new WorkflowInputException("run " + runId + ": no such run"));
        String here = Provenance.runCodeVersion();
        if (!here.equals(run.codeVersion())) {
            return Optional.of("the run was made by code " + run.codeVersion() + ", this worker runs " + here);
        }
        RunContext ctx;
        try {
            ctx = context(runId);
        } catch (RuntimeException e) {
            return Optional.of("its study, dataset or model does not load here: " + e.getMessage());
        }
        return ModelFilesCheck.differences(run.modelsJson(), ctx.modelsJson());
    }

    /**
     * On SIGTERM or Ctrl-C: claim nothing more, give this process's items back at once (not after
     * their lease), and mark the run this process runs (null for a worker) failed as interrupted,
     * so resume carries on from there.
     */
    public void handOverWhenStopped(Long runId) {
        store.whenStopped(() -> {
            stopping = true;
            int released = store.workItems().releaseAll(options.workerName());
            LOG.warn("stopped: {} item(s) of {} given back to the run", released, options.workerName());
            if (runId != null && store.runs().find(runId).map(r -> r.status() == Status.RUNNING).orElse(false)) {
                store.runs().setStatus(runId, Status.FAILED, "interrupted: its process was stopped (taskvec resume "
                        + runId + " carries on)");
            }
        });
    }

    /** Whether this process is being stopped: it claims nothing more. */
    boolean stopping() {
        return stopping;
    }

    /** Runs every stage of the run (items already finished are skipped). */
    public RunOutcome run(long runId) {
        long start = System.currentTimeMillis();
        try {
            camel().createProducerTemplate().requestBody("direct:study", new RunRef(runId));
        } catch (CamelExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            // a database that stayed away cannot take the status now: resume (or status) finds the run later
            if (DatabaseFaults.unavailable(cause) != null && cause instanceof RuntimeException re) throw re;
            store.runs().setStatus(runId, Status.FAILED, cause.getClass().getSimpleName() + ": " + cause.getMessage());
            if (cause instanceof RuntimeException re) throw re;
            throw e;
        }
        return outcome(runId, System.currentTimeMillis() - start);
    }

    /**
     * Resumes a run: failed items and items held by dead processes of this host go back to
     * pending, then the stages run again, doing only what is not finished.
     */
    public RunOutcome resume(long runId) {
        Run run = store.runs().find(runId).orElseThrow(() -> new WorkflowInputException("run " + runId + ": no such run"));
        if (run.status() == Status.DONE) return outcome(runId, 0);
        context(runId); // the study, dataset and model must still load
        store.workItems().requeue(runId, null, false);
        requeueOrphans(runId);
        return run(runId);
    }

    /**
     * Running items whose claimer was a process of this host that is gone (killed): nobody will
     * finish them. Done by resume, and while a run waits for items others hold.
     */
    int requeueOrphans(long runId) {
        String host = WorkItemRepositoryNames.host(options.workerName());
        List<Long> orphans = new ArrayList<>();
        for (String stage : Stages.names()) {
            for (WorkItem w : store.workItems().list(runId, stage)) {
                if (w.status() != Status.RUNNING || w.claimedBy() == null) continue;
                if (WorkItemRepositoryNames.isDeadLocal(w.claimedBy(), host)) orphans.add(w.id());
            }
        }
        if (orphans.isEmpty()) return 0;
        LOG.warn("run {}: {} item(s) held by killed processes of this host go back to pending", runId, orphans.size());
        return store.workItems().requeueRunning(orphans);
    }

    public RunOutcome outcome(long runId, long millis) {
        Run run = store.runs().find(runId).orElseThrow();
        Map<String, Map<Status, Integer>> items = new LinkedHashMap<>();
        for (String stage : Stages.names()) items.put(stage, store.workItems().counts(runId, stage));
        List<String> failed = new ArrayList<>();
        for (WorkItem w : store.workItems().failed(runId)) {
            failed.add(PlannedItem.describe(w.stage(), w.key().parts().get("item")) + ": " + w.error());
        }
        return new RunOutcome(runId, run.status(), run.error(), items, failed, millis);
    }

    /** The context of a run in this process (opened from the store on first use). */
    public RunContext context(long runId) {
        return contexts.computeIfAbsent(runId, id -> RunContext.open(store, id));
    }

    public StudyPlan plan(long runId) {
        return plans.computeIfAbsent(runId, id -> new StudyPlan(context(id)));
    }

    private synchronized CamelContext camel() {
        if (camel == null) {
            CamelContext c = new DefaultCamelContext();
            c.getRegistry().bind("runs", new RunSteps(this));
            for (Stage stage : Stages.ALL) c.getRegistry().bind(stage.name(), new StageSteps(this, stage));
            try {
                c.addRoutes(new StudyRoutes());
            } catch (Exception e) {
                throw new IllegalStateException("building the study's routes: " + e.getMessage(), e);
            }
            c.start();
            camel = c;
        }
        return camel;
    }

    @Override
    public void close() {
        if (camel != null) camel.stop();
        contexts.values().forEach(RunContext::close);
        contexts.clear();
    }
}
