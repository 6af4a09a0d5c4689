package taskvec.study.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import taskvec.study.StudyInputException;
import taskvec.study.data.DatasetImporter;
import taskvec.study.prompt.ModalityPair;

/**
 * Reads and validates a study file (YAML). Every key is optional except {@code models.target};
 * what is left out gets the paper's value ({@link PaperDefaults}). Unknown keys and impossible
 * values are StudyInputExceptions naming the file and the key's path, e.g.
 * {@code study.yaml: seeds[1]: must be a positive integer}.
 *
 * <pre>
 * models:
 *   target: {dir: ~/models/llava, hf: llava-hf/llava-1.5-7b-hf, revision: a272c74...}
 *   source: {hf: lmsys/vicuna-7b-v1.5, revision: 3321f76...}   # optional: LLM->VLM
 * dataset: {root: data/tasks}            # ROOT/annotations/{task}_{val|test}.json
 * tasks: [country-capital, ...]          # default: the paper's six
 * seeds: [1, 2, 3]
 * specifications:
 *   text_examples: true
 *   image_examples: true
 *   instructions: {country-capital: "The capital city of the country:", ...}   # or false
 * modality_pairs: [text->image, image->image, text->text, image->text]
 * shots: 5
 * layers: all                            # or a list of 0-based layers
 * decoding: {max_new_tokens: 1, stop_at_newline: true}
 * lowercase: false
 * interventions: {modes: [replace], alphas: [1.0]}
 * sample_efficiency: {enabled: false, max_prompts: 6}
 * ensembling: {enabled: false, exemplar_weight: 0.5, instruction_weight: 0.5}
 * pre_resize_width: 224                  # or null: no pre-resize
 * </pre>
 *
 * Relative paths (model dirs, dataset root) resolve against a base folder the caller gives (the
 * CLI uses the project folder); {@code ~/} means the user's home.
 */
public final class StudyFileReader {
    /** Duplicate keys are an error: with the last one silently winning, `shots: 3` then `shots: 2` would run 2. */
    private static final ObjectMapper YAML = new ObjectMapper(
            YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private StudyFileReader() {}

    public static Study read(Path file, Path baseDir) {
        return parse(file, readTree(file), baseDir);
    }

    /**
     * The file's YAML tree, its size checked before parsing ({@link StudyLimits#FILE_BYTES}) and
     * duplicate keys refused; every problem a StudyInputException naming the file.
     */
    public static JsonNode readTree(Path file) {
        if (!Files.isRegularFile(file)) throw new StudyInputException(file + ": file not found");
        try {
            long size = Files.size(file);
            if (size > StudyLimits.FILE_BYTES) {
                throw new StudyInputException(file + ": " + size + " bytes, more than a study file may have ("
                        + StudyLimits.FILE_BYTES + " bytes; a study file is a few kilobytes)");
            }
            return YAML.readTree(file.toFile());
        } catch (JacksonException e) {
            String problem = e.getOriginalMessage().startsWith("Duplicate field")
                    ? e.getOriginalMessage().replace("Duplicate field", "duplicate key") : e.getOriginalMessage();
            throw new StudyInputException(file + ": not valid YAML: " + problem
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""), e);
        } catch (IOException e) {
            throw new StudyInputException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Validates an already parsed tree (tests and the workflow's stored JSON use this). */
    public static Study parse(Path file, JsonNode tree, Path baseDir) {
        String name = file.toString();
        StudyNode root = new StudyNode(name, "", tree == null || tree.isMissingNode() ? null : tree);
        if (root.isMissing()) throw root.error("the study file is empty (models.target is required)");
        root.requireMapping();

        StudyNode modelsNode = root.field("models");
        if (modelsNode.isMissing()) throw modelsNode.error("missing (models.target is required)");
        modelsNode.requireMapping();
        StudyNode targetNode = modelsNode.field("target");
        if (targetNode.isMissing()) throw targetNode.error("missing (the model to evaluate)");
        ModelRef target = model(targetNode, baseDir);
        StudyNode sourceNode = modelsNode.field("source");
        ModelRef source = sourceNode.isMissing() ? null : model(sourceNode, baseDir);
        modelsNode.rejectUnknownKeys();

        StudyNode datasetNode = root.field("dataset");
        datasetNode.requireMapping();
        Path datasetRoot = resolve(baseDir, datasetNode.field("root").textOr(PaperDefaults.DATASET_ROOT));
        datasetNode.rejectUnknownKeys();

        List<String> tasks = tasks(root.field("tasks"));
        List<Integer> seeds = seeds(root.field("seeds"));
        Study.Specifications specs = specifications(root.field("specifications"), tasks);
        List<ModalityPair> pairs = modalityPairs(root.field("modality_pairs"));
        int shots = root.field("shots").intInRangeOr(1, StudyLimits.SHOTS, PaperDefaults.SHOTS);
        List<Integer> layers = layers(root.field("layers"));
        Study.Decoding decoding = decoding(root.field("decoding"));
        boolean lowercase = root.field("lowercase").boolOr(false);
        Study.Interventions interventions = interventions(root.field("interventions"));
        Study.SampleEfficiency se = sampleEfficiency(root.field("sample_efficiency"));
        Study.Ensembling ensembling = ensembling(root.field("ensembling"));
        StudyNode widthNode = root.field("pre_resize_width");
        Integer width = widthNode.raw() == null ? Integer.valueOf(PaperDefaults.PRE_RESIZE_WIDTH)
                : widthNode.raw().isNull() ? null : Integer.valueOf(widthNode.intInRange(1, StudyLimits.PRE_RESIZE_WIDTH));
        AnalysisSettings analyses = AnalysisSettings.parse(name, root.field("analyses").raw());
        root.rejectUnknownKeys();

        if (ensembling.enabled() && !specs.instructionsEnabled()) {
            throw new StudyInputException(name + ": ensembling: needs specifications.instructions (it averages exemplar and instruction vectors)");
        }
        if (ensembling.enabled() && !specs.textExamples()) {
            throw new StudyInputException(name + ": ensembling: needs specifications.text_examples");
        }
        for (ModalityPair pair : pairs) {
            boolean hasSource = switch (pair.source()) {
                case TEXT -> specs.textExamples() || specs.instructionsEnabled();
                case IMAGE -> specs.imageExamples();
            };
            if (!hasSource) {
                throw new StudyInputException(name + ": modality_pairs: " + pair.label() + " needs a " + pair.source().label()
                        + " specification, but specifications disables it");
            }
        }
        return new Study(file, new Study.Models(target, source), datasetRoot, tasks, seeds, specs, pairs, shots, layers,
                decoding, lowercase, interventions, se, ensembling, width, analyses);
    }

    private static ModelRef model(StudyNode n, Path baseDir) {
        n.requireMapping();
        StudyNode dirNode = n.field("dir");
        Path dir = dirNode.isMissing() ? null : resolve(baseDir, dirNode.text());
        StudyNode hfNode = n.field("hf");
        String hf = hfNode.isMissing() ? null : hfNode.text();
        if (hf != null && !hf.matches("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw hfNode.error("must be a hub id such as llava-hf/llava-1.5-7b-hf");
        }
        StudyNode revNode = n.field("revision");
        String revision = revNode.isMissing() ? null : revNode.text();
        if (revision != null && hf == null) throw revNode.error("needs hf (the revision of which hub model?)");
        if (dir == null && hf == null) throw n.error("needs dir (a local model folder) or hf (its hub id, with the folder given at run time)");
        n.rejectUnknownKeys();
        return new ModelRef(dir, hf, revision);
    }

    private static Path resolve(Path baseDir, String p) {
        if (p.equals("~") || p.startsWith("~/")) return Path.of(System.getProperty("user.home") + p.substring(1)).normalize();
        Path path = Path.of(p);
        return path.isAbsolute() ? path.normalize() : baseDir.resolve(path).toAbsolutePath().normalize();
    }

    private static List<String> tasks(StudyNode n) {
        if (n.isMissing()) return PaperDefaults.TASKS;
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (StudyNode e : atMost(n, StudyLimits.TASKS)) {
            String s = e.text();
            String problem = DatasetImporter.taskNameProblem(s);
            if (problem != null) throw e.error(problem);
            if (!seen.add(s)) throw e.error("duplicate '" + s + "'");
            out.add(s);
        }
        if (out.isEmpty()) throw n.error("must not be empty");
        return List.copyOf(out);
    }

    private static List<Integer> seeds(StudyNode n) {
        if (n.isMissing()) return PaperDefaults.SEEDS;
        List<Integer> out = new ArrayList<>();
        for (StudyNode e : atMost(n, StudyLimits.SEEDS)) {
            int v = e.intInRange(1, Integer.MAX_VALUE);
            if (out.contains(v)) throw e.error("duplicate " + v);
            out.add(v);
        }
        if (out.isEmpty()) throw n.error("must not be empty");
        return List.copyOf(out);
    }

    /** A list's elements, refused when there are more than max. */
    private static List<StudyNode> atMost(StudyNode n, int max) {
        List<StudyNode> elements = n.elements();
        if (elements.size() > max) throw n.error(elements.size() + " entries, more than the limit of " + max);
        return elements;
    }

    private static Study.Specifications specifications(StudyNode n, List<String> tasks) {
        n.requireMapping();
        boolean text = n.field("text_examples").boolOr(true);
        boolean image = n.field("image_examples").boolOr(true);
        StudyNode instr = n.field("instructions");
        Map<String, String> instructions = new LinkedHashMap<>();
        if (instr.isMissing() || (instr.raw().isBoolean() && instr.bool())) {
            for (String task : tasks) {
                String s = PaperDefaults.INSTRUCTIONS.get(task);
                if (s == null) {
                    throw instr.error("no instruction for task '" + task + "' (the paper's six are built in; give "
                            + "instructions: {" + task + ": \"...:\"}, or instructions: false)");
                }
                instructions.put(task, s);
            }
        } else if (instr.raw().isBoolean()) {
            instr.bool(); // false: no instruction vectors
        } else {
            instr.requireMapping();
            Iterator<String> keys = instr.raw().fieldNames();
            while (keys.hasNext()) {
                String task = keys.next();
                StudyNode s = instr.field(task);
                if (!tasks.contains(task)) throw s.error("not one of the study's tasks");
                String text2 = s.text();
                if (!text2.endsWith(":")) throw s.error("must end with ':' (its last token is the read position)");
                instructions.put(task, text2);
            }
            for (String task : tasks) {
                if (!instructions.containsKey(task)) throw instr.error("no instruction for task '" + task + "'");
            }
        }
        n.rejectUnknownKeys();
        if (!text && !image && instructions.isEmpty()) throw n.error("enables nothing (need text_examples, image_examples or instructions)");
        return new Study.Specifications(text, image, java.util.Collections.unmodifiableMap(instructions));
    }

    private static List<ModalityPair> modalityPairs(StudyNode n) {
        List<ModalityPair> out = new ArrayList<>();
        if (n.isMissing()) {
            for (String s : PaperDefaults.MODALITY_PAIRS) out.add(ModalityPair.parse(s));
            return List.copyOf(out);
        }
        for (StudyNode e : n.elements()) {
            ModalityPair pair;
            try {
                pair = ModalityPair.parse(e.text());
            } catch (IllegalArgumentException ex) {
                throw e.error(ex.getMessage());
            }
            if (out.contains(pair)) throw e.error("duplicate " + pair.label());
            out.add(pair);
        }
        if (out.isEmpty()) throw n.error("must not be empty");
        return List.copyOf(out);
    }

    private static List<Integer> layers(StudyNode n) {
        if (n.isMissing()) return null;
        if (n.raw().isTextual()) {
            if (n.raw().asText().equals("all")) return null;
            throw n.error("must be 'all' or a list of layer indices");
        }
        List<Integer> out = new ArrayList<>();
        for (StudyNode e : n.elements()) {
            int l = e.intInRange(0, StudyLimits.LAYER_INDEX);
            if (out.contains(l)) throw e.error("duplicate layer " + l);
            out.add(l);
        }
        if (out.isEmpty()) throw n.error("must not be empty (use 'all')");
        out.sort(Integer::compare);
        return List.copyOf(out);
    }

    private static Study.Decoding decoding(StudyNode n) {
        n.requireMapping();
        int max = n.field("max_new_tokens").intInRangeOr(1, StudyLimits.MAX_NEW_TOKENS, PaperDefaults.MAX_NEW_TOKENS);
        boolean stop = n.field("stop_at_newline").boolOr(true);
        n.rejectUnknownKeys();
        return new Study.Decoding(max, stop);
    }

    private static Study.Interventions interventions(StudyNode n) {
        n.requireMapping();
        StudyNode modesNode = n.field("modes");
        List<InterventionMode> modes = new ArrayList<>();
        if (modesNode.isMissing()) {
            modes.add(InterventionMode.REPLACE);
        } else {
            for (StudyNode e : modesNode.elements()) {
                String s = e.text();
                InterventionMode mode = switch (s) {
                    case "replace" -> InterventionMode.REPLACE;
                    case "add" -> InterventionMode.ADD;
                    default -> throw e.error("must be replace or add, got '" + s + "'");
                };
                if (modes.contains(mode)) throw e.error("duplicate " + s);
                modes.add(mode);
            }
            if (modes.isEmpty()) throw modesNode.error("must not be empty");
        }
        StudyNode alphasNode = n.field("alphas");
        List<Double> alphas = new ArrayList<>();
        if (alphasNode.isMissing()) {
            alphas.add(1.0);
        } else {
            for (StudyNode e : atMost(alphasNode, StudyLimits.ALPHAS)) {
                double a = e.finiteNumber();
                if (a == 0.0) throw e.error("must not be 0 (a zero alpha patches nothing)");
                if (alphas.contains(a)) throw e.error("duplicate " + a);
                alphas.add(a);
            }
            if (alphas.isEmpty()) throw alphasNode.error("must not be empty");
        }
        n.rejectUnknownKeys();
        return new Study.Interventions(List.copyOf(modes), List.copyOf(alphas));
    }

    private static Study.SampleEfficiency sampleEfficiency(StudyNode n) {
        if (n.isMissing()) return new Study.SampleEfficiency(false, PaperDefaults.SAMPLE_EFFICIENCY_MAX_PROMPTS);
        if (n.raw().isBoolean()) return new Study.SampleEfficiency(n.bool(), PaperDefaults.SAMPLE_EFFICIENCY_MAX_PROMPTS);
        n.requireMapping();
        boolean enabled = n.field("enabled").boolOr(true);
        int max = n.field("max_prompts").intInRangeOr(1, StudyLimits.SAMPLE_EFFICIENCY_PROMPTS,
                PaperDefaults.SAMPLE_EFFICIENCY_MAX_PROMPTS);
        n.rejectUnknownKeys();
        return new Study.SampleEfficiency(enabled, max);
    }

    private static Study.Ensembling ensembling(StudyNode n) {
        if (n.isMissing()) return new Study.Ensembling(false, 0.5, 0.5);
        if (n.raw().isBoolean()) return new Study.Ensembling(n.bool(), 0.5, 0.5);
        n.requireMapping();
        boolean enabled = n.field("enabled").boolOr(true);
        double ew = n.field("exemplar_weight").isMissing() ? 0.5 : n.field("exemplar_weight").finiteNumber();
        double iw = n.field("instruction_weight").isMissing() ? 0.5 : n.field("instruction_weight").finiteNumber();
        n.rejectUnknownKeys();
        return new Study.Ensembling(enabled, ew, iw);
    }

    /**
     * The resolved settings as a plain tree with the study file's own keys (what `study check`
     * prints); reading it back gives the same study.
     */
    public static Map<String, Object> describe(Study s) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> models = new LinkedHashMap<>();
        models.put("target", describe(s.models().target()));
        if (s.models().source() != null) models.put("source", describe(s.models().source()));
        out.put("models", models);
        out.put("dataset", Map.of("root", s.datasetRoot().toString()));
        out.put("tasks", s.tasks());
        out.put("seeds", s.seeds());
        Map<String, Object> specs = new LinkedHashMap<>();
        specs.put("text_examples", s.specifications().textExamples());
        specs.put("image_examples", s.specifications().imageExamples());
        specs.put("instructions", s.specifications().instructionsEnabled() ? s.specifications().instructions() : false);
        out.put("specifications", specs);
        out.put("modality_pairs", s.modalityPairs().stream().map(ModalityPair::label).toList());
        out.put("shots", s.shots());
        out.put("layers", s.layers() == null ? "all" : s.layers());
        Map<String, Object> dec = new LinkedHashMap<>();
        dec.put("max_new_tokens", s.decoding().maxNewTokens());
        dec.put("stop_at_newline", s.decoding().stopAtNewline());
        out.put("decoding", dec);
        out.put("lowercase", s.lowercase());
        Map<String, Object> iv = new LinkedHashMap<>();
        iv.put("modes", s.interventions().modes().stream().map(InterventionMode::label).toList());
        iv.put("alphas", s.interventions().alphas());
        out.put("interventions", iv);
        Map<String, Object> se = new LinkedHashMap<>();
        se.put("enabled", s.sampleEfficiency().enabled());
        se.put("max_prompts", s.sampleEfficiency().maxPrompts());
        out.put("sample_efficiency", se);
        Map<String, Object> en = new LinkedHashMap<>();
        en.put("enabled", s.ensembling().enabled());
        en.put("exemplar_weight", s.ensembling().exemplarWeight());
        en.put("instruction_weight", s.ensembling().instructionWeight());
        out.put("ensembling", en);
        out.put("pre_resize_width", s.preResizeWidth());
        return out;
    }

    private static Map<String, Object> describe(ModelRef m) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (m.dir() != null) out.put("dir", m.dir().toString());
        if (m.hf() != null) out.put("hf", m.hf());
        if (m.revision() != null) out.put("revision", m.revision());
        return out;
    }

    /** YAML text of {@link #describe(Study)}. */
    public static String describeYaml(Study s) {
        try {
            return YAML.writeValueAsString(describe(s));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
