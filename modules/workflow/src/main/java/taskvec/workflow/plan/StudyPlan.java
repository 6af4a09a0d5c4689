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

/**
 * The work items of every stage and their keys, computed from the study, the dataset files, the
 * model files and the code version before anything runs. Keys chain: an item's inputs name the
 * keys of the items whose outputs it reads (capture names its task's prepare item, average the
 * capture shards it means, evaluate the vectors it patches), so a change reaches exactly the work
 * downstream of it and nothing else.
 */
public final class StudyPlan {
    public static final List<String> STAGES = List.of("prepare", "capture", "average", "ensemble", "evaluate", "analyze", "report");
    /** Val items per capture item and query items per evaluate item. */
    public static final int CAPTURE_SHARD = 4;
    public static final int EVALUATE_SHARD = 3;

    private final RunContext ctx;
    private final Study study;
    private final Map<String, PlannedItem> prepare = new LinkedHashMap<>();
    private final Map<String, List<PlannedItem>> capture = new LinkedHashMap<>();
    private final Map<String, PlannedItem> average = new LinkedHashMap<>();
    private final Map<String, PlannedItem> ensemble = new LinkedHashMap<>();

    public StudyPlan(RunContext ctx) {
        this.ctx = ctx;
        this.study = ctx.study();
        requireSupported(study);
        for (String task : study.tasks()) prepare.put(task, prepareItem(task));
        for (String task : study.tasks()) {
            for (Specification spec : capturedSpecs(study)) {
                if (spec == Specification.INSTRUCTION) {
                    capture.put(task + "|0|" + spec.label(), List.of(instructionCaptureItem(task)));
                    continue;
                }
                for (int seed : study.seeds()) capture.put(task + "|" + seed + "|" + spec.label(), captureItems(task, seed, spec));
            }
        }
        for (String task : study.tasks()) {
            for (int seed : study.seeds()) {
                for (Specification spec : capturedSpecs(study)) average.put(vectorKey(task, seed, spec.label()), averageItem(task, seed, spec));
                if (study.ensembling().enabled()) ensemble.put(vectorKey(task, seed, "ensemble"), ensembleItem(task, seed));
            }
        }
    }

    /** What the workflow does not run yet (the in-memory study does); a clear error instead of a silent gap. */
    public static void requireSupported(Study study) {
        String file = study.file().toString();
        if (study.interventions().modes().contains(InterventionMode.ADD)) {
            throw new WorkflowInputException(file + ": interventions.modes: the workflow runs 'replace' only so far");
        }
        if (study.models().source() != null) {
            throw new WorkflowInputException(file + ": models.source: LLM->VLM vectors are not run by the workflow yet");
        }
        if (study.sampleEfficiency().enabled()) {
            throw new WorkflowInputException(file + ": sample_efficiency: not run by the workflow yet");
        }
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

    /** The vectors patched for a pair: text sources get examples, instruction and ensemble; image sources image examples. */
    public static List<String> patchedVectors(Study study, ModalityPair pair) {
        List<String> names = new ArrayList<>();
        if (pair.source() == Modality.IMAGE) {
            if (study.specifications().imageExamples()) names.add(Specification.IMAGE_EXAMPLES.label());
            return names;
        }
        if (study.specifications().textExamples()) names.add(Specification.TEXT_EXAMPLES.label());
        if (study.specifications().instructionsEnabled()) names.add(Specification.INSTRUCTION.label());
        if (study.ensembling().enabled()) names.add("ensemble");
        return names;
    }

    public List<PlannedItem> items(String stage) {
        return switch (stage) {
            case "prepare" -> List.copyOf(prepare.values());
            case "capture" -> capture.values().stream().flatMap(List::stream).toList();
            case "average" -> List.copyOf(average.values());
            case "ensemble" -> List.copyOf(ensemble.values());
            case "evaluate" -> evaluateItems(Split.VAL, null);
            case "analyze" -> analyzeItems();
            case "report" -> List.of(reportItem());
            default -> throw new IllegalArgumentException("no stage " + stage);
        };
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
            case "average" -> s.put("seeds", study.seeds());
            case "ensemble" -> s.put("ensembling", study.ensembling());
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

    private List<PlannedItem> captureItems(String task, int seed, Specification spec) {
        List<TaskItem> val = ctx.dataset().items(task, Split.VAL);
        List<PlannedItem> out = new ArrayList<>();
        for (int start = 0; start < val.size(); start += CAPTURE_SHARD) {
            List<TaskItem> shard = val.subList(start, Math.min(val.size(), start + CAPTURE_SHARD));
            List<PlannedPrompt> prompts = new ArrayList<>();
            for (TaskItem item : shard) prompts.add(ctx.planner().source(task, seed, Split.VAL, item, spec));
            Map<String, Object> what = new LinkedHashMap<>();
            what.put("task", task);
            what.put("seed", seed);
            what.put("spec", spec.label());
            what.put("items", shard.stream().map(TaskItem::id).toList());
            Map<String, Object> inputs = new LinkedHashMap<>();
            inputs.put("prepare", prepare.get(task).key().hash());
            inputs.put("images", imageHashes(prompts));
            Map<String, Object> settings = new TreeMap<>();
            settings.put("shots", study.shots());
            settings.put("pre_resize_width", study.preResizeWidth());
            out.add(item("capture", what, settings, inputs));
        }
        return out;
    }

    private PlannedItem instructionCaptureItem(String task) {
        Map<String, Object> what = new LinkedHashMap<>();
        what.put("task", task);
        what.put("seed", 0);
        what.put("spec", Specification.INSTRUCTION.label());
        Map<String, Object> settings = new TreeMap<>();
        settings.put("instruction", study.specifications().instructions().get(task));
        return item("capture", what, settings, Map.of("prepare", prepare.get(task).key().hash()));
    }

    private PlannedItem averageItem(String task, int seed, Specification spec) {
        int capturedSeed = spec == Specification.INSTRUCTION ? 0 : seed;
        List<String> inputs = capture.get(task + "|" + capturedSeed + "|" + spec.label()).stream().map(i -> i.key().hash()).toList();
        Map<String, Object> what = new LinkedHashMap<>();
        what.put("task", task);
        what.put("seed", seed);
        what.put("spec", spec.label());
        return item("average", what, Map.of("captured_seed", capturedSeed), Map.of("capture", inputs));
    }

    private PlannedItem ensembleItem(String task, int seed) {
        Map<String, Object> what = new LinkedHashMap<>();
        what.put("task", task);
        what.put("seed", seed);
        Map<String, Object> inputs = new LinkedHashMap<>();
        for (String spec : List.of(Specification.TEXT_EXAMPLES.label(), Specification.INSTRUCTION.label())) {
            PlannedItem source = average.get(vectorKey(task, seed, spec));
            if (source == null) throw new WorkflowInputException(study.file() + ": ensembling: needs " + spec + " vectors");
            inputs.put(spec, source.key().hash());
        }
        return item("ensemble", what, Map.of("ensembling", study.ensembling()), inputs);
    }

    /** The key of the item that makes a patched vector (average or ensemble). */
    private String vectorItemKey(String task, int seed, String name) {
        PlannedItem item = name.equals("ensemble") ? ensemble.get(vectorKey(task, seed, name)) : average.get(vectorKey(task, seed, name));
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
            for (int start = 0; start < queries.size(); start += EVALUATE_SHARD) {
                List<TaskItem> shard = queries.subList(start, Math.min(queries.size(), start + EVALUATE_SHARD));
                List<PlannedPrompt> prompts = new ArrayList<>();
                Map<String, String> vectors = new TreeMap<>();
                for (TaskItem q : shard) {
                    for (ModalityPair pair : study.modalityPairs()) {
                        prompts.add(planner.query(task, split, q, pair.target()));
                        for (int seed : study.seeds()) {
                            prompts.add(planner.context(task, seed, split, q, pair.source(), pair.target()));
                            for (String name : patchedVectors(study, pair)) vectors.put(name + "|" + seed, vectorItemKey(task, seed, name));
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
