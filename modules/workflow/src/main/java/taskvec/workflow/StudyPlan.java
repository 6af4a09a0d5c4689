package taskvec.workflow.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import taskvec.store.key.ContentKey;
import taskvec.study.config.InterventionMode;
import taskvec.study.config.Study;
import taskvec.study.data.Split;
import taskvec.study.data.TaskItem;
import taskvec.study.prompt.Modality;
import taskvec.study.prompt.ModalityPair;
import taskvec.study.prompt.PlannedPrompt;
import taskvec.study.prompt.PromptPlanner;
import taskvec.study.prompt.Specification;
import taskvec.workflow.CodeVersion;
import taskvec.workflow.FileHashes;
import taskvec.workflow.RunContext;
import taskvec.workflow.WorkflowInputException;
import taskvec.study.data.DatasetImporter;
import taskvec.study.eval.Domains;
import taskvec.study.eval.InMemoryStudy;

/**
 * The work items of every stage and their keys, computed from the study, the dataset files, the
 * model files and the code version before anything runs. Keys chain: an item's inputs name the
 * keys of the items whose outputs it reads (capture names its task's prepare item, average the
 * capture shards it means, evaluate the vectors it patches), so a change reaches exactly the work
 * downstream of it and nothing else. Besides the paper's vectors the plan holds what the study
 * asks for on top: the additive mode's zero-shot query captures and their per-domain baselines,
 * the source model's vectors (LLM->VLM) with their cosines, and the sample-efficiency subsets.
 */
public final class StudyPlan {
    public static final List<String> STAGES = List.of("prepare", "capture", "average", "ensemble", "evaluate", "analyze", "report");
    /** Val items per capture item and query items per evaluate item. */
    public static final int CAPTURE_SHARD = 4;
    public static final int EVALUATE_SHARD = 3;
    /** The prefix of vector names captured on the source model (LLM->VLM), as the study library names them. */
    public static final String SOURCE = "source:";
    /** The ensemble-stage item that makes the sample-efficiency subsets of (task, seed). */
    public static final String SUBSETS = "subsets";
    /** The ensemble-stage item that records source-target cosine similarities of (task, seed). */
    public static final String TRANSFER_COSINE = "transfer-cosine";

    private final RunContext ctx;
    private final Study study;
    private final Map<String, PlannedItem> prepare = new LinkedHashMap<>();
    private final Map<String, List<PlannedItem>> capture = new LinkedHashMap<>();
    /** Means: "task|seed|name" (name with "source:" for the source model's). */
    private final Map<String, PlannedItem> average = new LinkedHashMap<>();
    /** The additive mode's zero-shot means: "domain|modality". */
    private final Map<String, PlannedItem> baselines = new LinkedHashMap<>();
    /** Ensembles: "task|seed|ensemble" and "task|seed|source:ensemble". */
    private final Map<String, PlannedItem> ensemble = new LinkedHashMap<>();
    /** Sample-efficiency subsets of "task|seed" (and their ensembles). */
    private final Map<String, PlannedItem> subsets = new LinkedHashMap<>();
    /** Source-target cosine similarities of "task|seed". */
    private final Map<String, PlannedItem> cosines = new LinkedHashMap<>();

    public StudyPlan(RunContext ctx) {
        this.ctx = ctx;
        this.study = ctx.study();
        boolean hasSource = ctx.source() != null;
        for (String task : study.tasks()) prepare.put(task, prepareItem(task));
        for (String task : study.tasks()) {
            for (Specification spec : capturedSpecs(study)) {
                if (spec == Specification.INSTRUCTION) {
                    capture.put(task + "|0|" + spec.label(), List.of(instructionCaptureItem(task, "")));
                    continue;
                }
                for (int seed : study.seeds()) capture.put(task + "|" + seed + "|" + spec.label(), captureItems(task, seed, spec.label()));
            }
            for (String name : sourceSpecs(study, hasSource)) {
                if (name.equals(SOURCE + Specification.INSTRUCTION.label())) {
                    capture.put(task + "|0|" + name, List.of(instructionCaptureItem(task, SOURCE)));
                    continue;
                }
                for (int seed : study.seeds()) capture.put(task + "|" + seed + "|" + name, captureItems(task, seed, name));
            }
            if (addMode(study)) {
                for (Modality m : targets(study)) capture.put(task + "|0|" + querySpec(m), List.of(queryCaptureItem(task, m)));
            }
        }
        for (String task : study.tasks()) {
            for (int seed : study.seeds()) {
                for (Specification spec : capturedSpecs(study)) average.put(vectorKey(task, seed, spec.label()), averageItem(task, seed, spec.label()));
                for (String name : sourceSpecs(study, hasSource)) average.put(vectorKey(task, seed, name), averageItem(task, seed, name));
            }
        }
        if (addMode(study)) baselineItems();
        for (String task : study.tasks()) {
            for (int seed : study.seeds()) {
                if (study.ensembling().enabled()) {
                    ensemble.put(vectorKey(task, seed, "ensemble"), ensembleItem(task, seed, ""));
                    if (hasSource && textSource(study)) ensemble.put(vectorKey(task, seed, SOURCE + "ensemble"), ensembleItem(task, seed, SOURCE));
                }
                if (sampleEfficiency(study)) subsets.put(task + "|" + seed, subsetItem(task, seed));
                if (hasSource && !sourceSpecs(study, true).isEmpty()) cosines.put(task + "|" + seed, cosineItem(task, seed));
            }
        }
    }

    /** The spec of the zero-shot query vectors of a modality (capture) and of their domain mean (baseline). */
    public static String querySpec(Modality m) {
        return "query:" + m.label();
    }

    public static boolean addMode(Study study) {
        return study.interventions().modes().contains(InterventionMode.ADD);
    }

    static boolean textSource(Study study) {
        return study.modalityPairs().stream().anyMatch(p -> p.source() == Modality.TEXT);
    }

    /** Sample efficiency runs when asked for and text examples are captured (as InMemoryStudy does). */
    public static boolean sampleEfficiency(Study study) {
        return study.sampleEfficiency().enabled() && capturedSpecs(study).contains(Specification.TEXT_EXAMPLES);
    }

    /** The vectors captured on the source model: "source:text-examples" and "source:instruction" for text sources. */
    public static List<String> sourceSpecs(Study study, boolean hasSource) {
        List<String> out = new ArrayList<>();
        if (!hasSource || !textSource(study)) return out;
        if (study.specifications().textExamples()) out.add(SOURCE + Specification.TEXT_EXAMPLES.label());
        if (study.specifications().instructionsEnabled()) out.add(SOURCE + Specification.INSTRUCTION.label());
        return out;
    }

    /** The query modalities of the study's pairs, in pair order. */
    public static Set<Modality> targets(Study study) {
        Set<Modality> out = new LinkedHashSet<>();
        for (ModalityPair pair : study.modalityPairs()) out.add(pair.target());
        return out;
    }

    /** The tasks of each domain in study order (InMemoryStudy averages their zero-shot queries in this order). */
    public static Map<String, List<String>> domains(Study study) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String task : study.tasks()) out.computeIfAbsent(Domains.of(task), d -> new ArrayList<>()).add(task);
        return out;
    }

    /** The specifications whose vectors the study captures: examples per source modality, instructions for text sources. */
    public static List<Specification> capturedSpecs(Study study) {
        Set<Specification> specs = new LinkedHashSet<>();
        for (ModalityPair pair : study.modalityPairs()) {
            if (pair.source() == Modality.TEXT && study.specifications().textExamples()) specs.add(Specification.TEXT_EXAMPLES);
            if (pair.source() == Modality.IMAGE && study.specifications().imageExamples()) specs.add(Specification.IMAGE_EXAMPLES);
        }
        if (study.specifications().instructionsEnabled() && study.modalityPairs().stream().anyMatch(p -> p.source() == Modality.TEXT)) {
            specs.add(Specification.INSTRUCTION);
        }
        return List.copyOf(specs);
    }

    /**
     * The vectors patched for a pair, named as the study library names them (InMemoryStudy.vectorNames):
     * text sources get examples, instruction and ensemble (and their "source:" twins with a
     * source model), image sources image examples; on test, text sources also get the
     * sample-efficiency subsets "subset-r{r}:text-examples" (and ":ensemble").
     */
    public static List<String> patchedVectors(Study study, ModalityPair pair, boolean hasSource, Split split, int valItems) {
        List<String> names = new ArrayList<>(InMemoryStudy.vectorNames(study, pair, hasSource));
        if (split == Split.TEST && pair.source() == Modality.TEXT && sampleEfficiency(study)) {
            boolean ensembles = study.ensembling().enabled() && study.specifications().instructionsEnabled();
            for (int r = 1; r <= maxSubsetPrompts(study, valItems); r++) {
                names.add(subsetName(r, Specification.TEXT_EXAMPLES.label()));
                if (ensembles) names.add(subsetName(r, "ensemble"));
            }
        }
        return names;
    }

    /** r = 1..this: the study's maximum, at most the number of val prompts. */
    public static int maxSubsetPrompts(Study study, int valItems) {
        return Math.min(study.sampleEfficiency().maxPrompts(), valItems);
    }

    public static String subsetName(int prompts, String of) {
        return "subset-r" + prompts + ":" + of;
    }

    /** "subset-r2:ensemble" -> "ensemble": a subset is tested at the layer chosen for its full vector. */
    public static String baseName(String name) {
        return name.startsWith("subset-r") ? name.substring(name.indexOf(':') + 1) : name;
    }

    public List<PlannedItem> items(String stage) {
        return switch (stage) {
            case "prepare" -> List.copyOf(prepare.values());
            case "capture" -> capture.values().stream().flatMap(List::stream).toList();
            case "average" -> concat(average.values(), baselines.values());
            case "ensemble" -> concat(ensemble.values(), subsets.values(), cosines.values());
            case "evaluate" -> evaluateItems(Split.VAL, null);
            case "analyze" -> analyzeItems();
            case "report" -> List.of(reportItem());
            default -> throw new IllegalArgumentException("no stage " + stage);
        };
    }

    @SafeVarargs
    private static List<PlannedItem> concat(java.util.Collection<PlannedItem>... parts) {
        List<PlannedItem> out = new ArrayList<>();
        for (var p : parts) out.addAll(p);
        return out;
    }

    /**
     * A stage's key: its settings, the model, the code version, the key of the stage before it and
     * a hash over its items' keys. For evaluate the items are the val ones (test items follow from
     * the val results and the study's layer rule).
     */
    public ContentKey stageKey(String stage) {
        Map<String, Object> parts = common(stage);
        parts.put("settings", stageSettings(stage));
        int i = STAGES.indexOf(stage);
        if (i > 0) parts.put("upstream", Map.of(STAGES.get(i - 1), stageKey(STAGES.get(i - 1)).hash()));
        List<String> hashes = new ArrayList<>();
        for (PlannedItem item : items(stage)) hashes.add(item.key().hash());
        parts.put("items", Map.of("count", hashes.size(), "keys", ContentKey.of(Map.of("keys", hashes)).hash()));
        if (stage.equals("prepare")) parts.put("inputs", Map.of("annotations", annotationHashes()));
        if (stage.equals("capture")) parts.put("inputs", Map.of("images", captureImages()));
        return ContentKey.of(parts);
    }

    private Map<String, Object> stageSettings(String stage) {
        Map<String, Object> s = new TreeMap<>();
        switch (stage) {
            case "prepare" -> {
                s.putAll(promptSettings());
                s.put("tasks", study.tasks());
            }
            case "capture" -> {
                s.putAll(promptSettings());
                s.put("pre_resize_width", study.preResizeWidth());
            }
            case "average" -> {
                s.put("seeds", study.seeds());
                s.put("interventions", study.interventions());
            }
            case "ensemble" -> {
                s.put("ensembling", study.ensembling());
                s.put("sample_efficiency", study.sampleEfficiency());
            }
            case "evaluate" -> s.putAll(evaluateSettings());
            default -> { }
        }
        return s;
    }

    private Map<String, Object> common(String stage) {
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("stage", stage);
        parts.put("code", CodeVersion.current());
        parts.put("model", ctx.modelPart());
        return parts;
    }

    private Map<String, Object> promptSettings() {
        Map<String, Object> s = new TreeMap<>();
        s.put("shots", study.shots());
        s.put("seeds", study.seeds());
        s.put("specifications", study.specifications());
        s.put("modality_pairs", study.modalityPairs().stream().map(ModalityPair::label).toList());
        return s;
    }

    private Map<String, Object> evaluateSettings() {
        Map<String, Object> s = new TreeMap<>();
        s.put("layers", study.resolveLayers(ctx.model().numLayers()));
        s.put("decoding", study.decoding());
        s.put("lowercase", study.lowercase());
        s.put("modality_pairs", study.modalityPairs().stream().map(ModalityPair::label).toList());
        s.put("pre_resize_width", study.preResizeWidth());
        s.put("shots", study.shots());
        s.put("interventions", study.interventions());
        return s;
    }

    private Map<String, String> annotationHashes() {
        Map<String, String> out = new TreeMap<>();
        for (String task : study.tasks()) out.putAll(annotationHashes(task));
        return out;
    }

    private Map<String, String> annotationHashes(String task) {
        Map<String, String> out = new TreeMap<>();
        for (Split split : Split.values()) {
            out.put(task + "_" + split.fileName(), FileHashes.sha256(DatasetImporter.annotationFile(study.datasetRoot(), task, split)));
        }
        return out;
    }

    private Map<String, String> imageHashes(List<PlannedPrompt> prompts) {
        Map<String, String> out = new TreeMap<>();
        for (PlannedPrompt p : prompts) {
            for (String image : p.images()) out.computeIfAbsent(image, i -> FileHashes.sha256(ctx.dataset().resolveImage(i)));
        }
        return out;
    }

    private Map<String, String> captureImages() {
        Map<String, String> out = new TreeMap<>();
        for (List<PlannedItem> items : capture.values()) {
            for (PlannedItem item : items) {
                item.key().parts().path("inputs").path("images").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
            }
        }
        return out;
    }

    private PlannedItem item(String stage, Map<String, Object> what, Map<String, Object> settings, Map<String, Object> inputs) {
        Map<String, Object> parts = common(stage);
        parts.put("item", what);
        parts.put("settings", settings);
        parts.put("inputs", inputs);
        return new PlannedItem(stage, ContentKey.of(parts));
    }

    private PlannedItem prepareItem(String task) {
        Map<String, Object> what = new LinkedHashMap<>();
        what.put("task", task);
        Map<String, Object> settings = promptSettings();
        settings.put("instruction", study.specifications().instructions().get(task));
        return item("prepare", what, settings, Map.of("annotations", annotationHashes(task)));
    }

    /** Shards of val source prompts of (task, seed, spec); a "source:" spec runs on the source model. */
    private List<PlannedItem> captureItems(String task, int seed, String name) {
        boolean onSource = name.startsWith(SOURCE);
        Specification spec = Specification.parse(onSource ? name.substring(SOURCE.length()) : name);
        List<TaskItem> val = ctx.dataset().items(task, Split.VAL);
        List<PlannedItem> out = new ArrayList<>();
        for (int start = 0; start < val.size(); start += CAPTURE_SHARD) {
            List<TaskItem> shard = val.subList(start, Math.min(val.size(), start + CAPTURE_SHARD));
            List<PlannedPrompt> prompts = new ArrayList<>();
            for (TaskItem item : shard) prompts.add(ctx.planner().source(task, seed, Split.VAL, item, spec));
            Map<String, Object> what = new LinkedHashMap<>();
            what.put("task", task);
            what.put("seed", seed);
            what.put("spec", name);
            what.put("items", shard.stream().map(TaskItem::id).toList());
            Map<String, Object> inputs = new LinkedHashMap<>();
            inputs.put("prepare", prepare.get(task).key().hash());
            inputs.put("images", imageHashes(prompts));
            if (onSource) inputs.put("source_model", ctx.sourcePart());
            Map<String, Object> settings = new TreeMap<>();
            settings.put("shots", study.shots());
            settings.put("pre_resize_width", study.preResizeWidth());
            out.add(item("capture", what, settings, inputs));
        }
        return out;
    }

    /** The instruction prompt of a task, on the target model or (prefix "source:") the source model. */
    private PlannedItem instructionCaptureItem(String task, String prefix) {
        Map<String, Object> what = new LinkedHashMap<>();
        what.put("task", task);
        what.put("seed", 0);
        what.put("spec", prefix + Specification.INSTRUCTION.label());
        Map<String, Object> settings = new TreeMap<>();
        settings.put("instruction", study.specifications().instructions().get(task));
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("prepare", prepare.get(task).key().hash());
        if (!prefix.isEmpty()) inputs.put("source_model", ctx.sourcePart());
        return item("capture", what, settings, inputs);
    }

    /** The additive mode's inputs: every val query of a task, zero-shot, in one modality, at its write position. */
    private PlannedItem queryCaptureItem(String task, Modality modality) {
        List<TaskItem> val = ctx.dataset().items(task, Split.VAL);
        List<PlannedPrompt> prompts = new ArrayList<>();
        for (TaskItem item : val) prompts.add(ctx.planner().query(task, Split.VAL, item, modality));
        Map<String, Object> what = new LinkedHashMap<>();
        what.put("task", task);
        what.put("seed", 0);
        what.put("spec", querySpec(modality));
        what.put("items", val.stream().map(TaskItem::id).toList());
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("prepare", prepare.get(task).key().hash());
        inputs.put("images", imageHashes(prompts));
        return item("capture", what, Map.of("pre_resize_width", String.valueOf(study.preResizeWidth())), inputs);
    }

    private PlannedItem averageItem(String task, int seed, String name) {
        boolean instruction = name.endsWith(Specification.INSTRUCTION.label());
        int capturedSeed = instruction ? 0 : seed;
        List<String> inputs = capture.get(task + "|" + capturedSeed + "|" + name).stream().map(i -> i.key().hash()).toList();
        Map<String, Object> what = new LinkedHashMap<>();
        what.put("task", task);
        what.put("seed", seed);
        what.put("spec", name);
        return item("average", what, Map.of("captured_seed", capturedSeed), Map.of("capture", inputs));
    }

    /** Per (domain, query modality): the mean of the zero-shot query vectors of the domain's tasks (InMemoryStudy's order). */
    private void baselineItems() {
        for (Modality m : targets(study)) {
            for (Map.Entry<String, List<String>> d : domains(study).entrySet()) {
                List<String> inputs = new ArrayList<>();
                for (String task : d.getValue()) inputs.add(capture.get(task + "|0|" + querySpec(m)).get(0).key().hash());
                Map<String, Object> what = new LinkedHashMap<>();
                what.put("domain", d.getKey());
                what.put("seed", 0);
                what.put("spec", querySpec(m));
                baselines.put(d.getKey() + "|" + m.label(), item("average", what, Map.of("tasks", d.getValue()), Map.of("capture", inputs)));
            }
        }
    }

    /** exemplar + instruction, of the target's vectors or (prefix "source:") the source model's. */
    private PlannedItem ensembleItem(String task, int seed, String prefix) {
        Map<String, Object> what = new LinkedHashMap<>();
        what.put("task", task);
        what.put("seed", seed);
        if (!prefix.isEmpty()) what.put("spec", prefix + "ensemble");
        Map<String, Object> inputs = new LinkedHashMap<>();
        for (String spec : List.of(Specification.TEXT_EXAMPLES.label(), Specification.INSTRUCTION.label())) {
            PlannedItem source = average.get(vectorKey(task, seed, prefix + spec));
            if (source == null) throw new WorkflowInputException(study.file() + ": ensembling: needs " + spec + " vectors");
            inputs.put(spec, source.key().hash());
        }
        return item("ensemble", what, Map.of("ensembling", study.ensembling()), inputs);
    }

    /** The sample-efficiency curve of (task, seed): subsets of its text-example prompt vectors, and their ensembles. */
    private PlannedItem subsetItem(String task, int seed) {
        Map<String, Object> what = new LinkedHashMap<>();
        what.put("task", task);
        what.put("seed", seed);
        what.put("spec", SUBSETS);
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("capture", capture.get(task + "|" + seed + "|" + Specification.TEXT_EXAMPLES.label()).stream().map(i -> i.key().hash()).toList());
        PlannedItem instruction = average.get(vectorKey(task, seed, Specification.INSTRUCTION.label()));
        if (instruction != null) inputs.put("instruction", instruction.key().hash());
        Map<String, Object> settings = new TreeMap<>();
        settings.put("sample_efficiency", study.sampleEfficiency());
        settings.put("shots", study.shots());
        settings.put("ensembling", study.ensembling());
        return item("ensemble", what, settings, inputs);
    }

    /** Cosine similarity per layer of the source and target vectors of (task, seed). */
    private PlannedItem cosineItem(String task, int seed) {
        Map<String, Object> what = new LinkedHashMap<>();
        what.put("task", task);
        what.put("seed", seed);
        what.put("spec", TRANSFER_COSINE);
        Map<String, Object> inputs = new TreeMap<>();
        for (String name : sourceSpecs(study, true)) {
            inputs.put(name, average.get(vectorKey(task, seed, name)).key().hash());
            String target = name.substring(SOURCE.length());
            inputs.put(target, average.get(vectorKey(task, seed, target)).key().hash());
        }
        return item("ensemble", what, Map.of(), inputs);
    }

    /** The key of the item that makes a patched vector (average, ensemble or subsets). */
    private String vectorItemKey(String task, int seed, String name) {
        PlannedItem item;
        if (name.startsWith("subset-r")) item = subsets.get(task + "|" + seed);
        else if (name.endsWith("ensemble")) item = ensemble.get(vectorKey(task, seed, name));
        else item = average.get(vectorKey(task, seed, name));
        if (item == null) throw new IllegalStateException("no vector item for " + task + "/" + seed + "/" + name);
        return item.key().hash();
    }

    /**
     * Evaluate items of a split: per task, shards of query items; each does no-context, prompt and
     * patch for every seed and pair. Val patches every study layer; test patches the layer chosen
     * per (vector, target modality), given as {@code chosen} ("text-examples|image" -> layer).
     */
    public List<PlannedItem> evaluateItems(Split split, Map<String, Integer> chosen) {
        List<PlannedItem> out = new ArrayList<>();
        PromptPlanner planner = ctx.planner();
        for (String task : study.tasks()) {
            List<TaskItem> queries = ctx.dataset().items(task, split);
            int valItems = ctx.dataset().items(task, Split.VAL).size();
            for (int start = 0; start < queries.size(); start += EVALUATE_SHARD) {
                List<TaskItem> shard = queries.subList(start, Math.min(queries.size(), start + EVALUATE_SHARD));
                List<PlannedPrompt> prompts = new ArrayList<>();
                Map<String, String> vectors = new TreeMap<>();
                for (TaskItem q : shard) {
                    for (ModalityPair pair : study.modalityPairs()) {
                        prompts.add(planner.query(task, split, q, pair.target()));
                        for (int seed : study.seeds()) {
                            prompts.add(planner.context(task, seed, split, q, pair.source(), pair.target()));
                            for (String name : patchedVectors(study, pair, ctx.source() != null, split, valItems)) {
                                vectors.put(name + "|" + seed, vectorItemKey(task, seed, name));
                            }
                        }
                        if (addMode(study)) {
                            String domain = Domains.of(task) + "|" + pair.target().label();
                            vectors.put("baseline|" + domain, baselines.get(domain).key().hash());
                        }
                    }
                }
                Map<String, Object> what = new LinkedHashMap<>();
                what.put("task", task);
                what.put("split", split.fileName());
                what.put("items", shard.stream().map(TaskItem::id).toList());
                Map<String, Object> settings = evaluateSettings();
                if (split == Split.TEST) {
                    settings.remove("layers");
                    settings.put("chosen_layers", new TreeMap<>(chosen));
                    settings.put("sample_efficiency", study.sampleEfficiency());
                }
                Map<String, Object> inputs = new LinkedHashMap<>();
                inputs.put("prepare", prepare.get(task).key().hash());
                inputs.put("vectors", vectors);
                inputs.put("images", imageHashes(prompts));
                out.add(item("evaluate", what, settings, inputs));
            }
        }
        return out;
    }

    /**
     * analyze: the three phases per task, similarity and the map when the study has task vectors to
     * compare, task conflict when a domain holds two tasks; after evaluate (conflict patches at the
     * layer val chose).
     */
    private List<PlannedItem> analyzeItems() {
        List<String> val = evaluateItems(Split.VAL, null).stream().map(i -> i.key().hash()).toList();
        Map<String, Object> inputs = Map.of("evaluate_val", ContentKey.of(Map.of("keys", val)).hash());
        // the study's analyses settings as written, so changing one (a task word, the map's layer) redoes the stage
        com.fasterxml.jackson.databind.JsonNode analyses = taskvec.workflow.stage.AnalyzeWork.analysesNode(ctx);
        Map<String, Object> settings = Map.of("analyses", analyses == null ? "defaults" : analyses.toString());
        List<PlannedItem> out = new ArrayList<>();
        boolean examples = study.specifications().textExamples() || study.specifications().imageExamples();
        if (examples) {
            for (String task : study.tasks()) out.add(item("analyze", Map.of("analysis", "phases", "task", task), settings, inputs));
            out.add(item("analyze", Map.of("analysis", "map"), settings, inputs));
            if (!taskvec.workflow.stage.AnalyzeWork.conflictDomains(study.tasks()).isEmpty()) {
                out.add(item("analyze", Map.of("analysis", "conflict"), settings, inputs));
            }
        }
        out.add(item("analyze", Map.of("analysis", "similarity"), settings, inputs));
        return out;
    }

    private PlannedItem reportItem() {
        List<String> val = evaluateItems(Split.VAL, null).stream().map(i -> i.key().hash()).toList();
        return item("report", Map.of("report", "summary"), Map.of(), Map.of("evaluate_val", ContentKey.of(Map.of("keys", val)).hash()));
    }

    private static String vectorKey(String task, int seed, String name) {
        return task + "|" + seed + "|" + name;
    }
}
