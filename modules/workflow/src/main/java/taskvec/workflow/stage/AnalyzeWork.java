package taskvec.workflow.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import taskvec.model.Row;
import taskvec.model.RowResult;
import taskvec.model.hooks.Capture;
import taskvec.model.hooks.HookName;
import taskvec.store.repo.Vector;
import taskvec.study.analysis.AnalysisSettings;
import taskvec.study.analysis.ConflictAnswer;
import taskvec.study.analysis.ConflictShares;
import taskvec.study.analysis.ConflictTally;
import taskvec.study.analysis.ContextEmbedding;
import taskvec.study.analysis.DecodedToken;
import taskvec.study.analysis.DemonstrationSpans;
import taskvec.study.analysis.LabeledVectors;
import taskvec.study.analysis.Pca2d;
import taskvec.study.analysis.PhaseLens;
import taskvec.study.analysis.PhasePrompt;
import taskvec.study.analysis.PhaseResult;
import taskvec.study.analysis.PhaseRow;
import taskvec.study.analysis.SimilarityRow;
import taskvec.study.analysis.VectorLabel;
import taskvec.study.analysis.VectorSimilarity;
import taskvec.study.data.Split;
import taskvec.study.data.TaskItem;
import taskvec.study.eval.Domains;
import taskvec.study.eval.Evaluator;
import taskvec.study.eval.PatchVector;
import taskvec.study.eval.Prediction;
import taskvec.study.prompt.Modality;
import taskvec.study.prompt.ModalityPair;
import taskvec.study.prompt.PlannedPrompt;
import taskvec.study.prompt.ResolvedPrompt;
import taskvec.study.prompt.Specification;
import taskvec.study.scoring.AnswerScorer;
import taskvec.study.vectors.LayerVectors;
import taskvec.study.vectors.VectorCapture;
import taskvec.study.vectors.VectorMath;
import taskvec.workflow.RunContext;

/**
 * analyze: the paper's analyses over the run's model, vectors and results, stored as rows (the
 * computing is in taskvec.study.analysis). Items: 'phases' per task (logit lens at the last token
 * of the val source prompts of the first seed, per example specification), 'similarity' (cosines
 * between task vectors, seeds averaged), 'map' (PCA of prompt vectors and context embeddings at
 * one layer), 'conflict' (queries prompted with one task, patched with another of its domain).
 */
public final class AnalyzeWork implements ItemWork {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TOP_TOKENS = 5;

    @Override
    public void execute(RunContext ctx, JsonNode parts) {
        JsonNode item = parts.get("item");
        // as the report stage: analyses of a run with failed work are not stored (a resume redoes them with every result)
        List<taskvec.store.repo.WorkItem> failed = ctx.store().workItems().failed(ctx.runId()).stream()
                .filter(w -> !w.stage().equals("analyze") && !w.stage().equals("report")).toList();
        if (!failed.isEmpty()) {
            throw new IllegalStateException("the run has " + failed.size() + " failed work item(s) (first: "
                    + taskvec.workflow.plan.PlannedItem.describe(failed.get(0).stage(), failed.get(0).key().parts().get("item"))
                    + "); the analyses need every result");
        }
        AnalysisSettings settings = settings(ctx);
        if (!enabled(settings, item.get("analysis").asText())) return; // switched off in the study: nothing to store
        try {
            switch (item.get("analysis").asText()) {
                case "phases" -> phases(ctx, settings, item.get("task").asText());
                case "similarity" -> similarity(ctx);
                case "map" -> map(ctx, settings);
                case "conflict" -> conflict(ctx);
                default -> throw new IllegalArgumentException("no analysis " + item.get("analysis"));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("run " + ctx.runId() + ": storing the " + item.get("analysis").asText() + " analysis: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public int expectedOutputs(RunContext ctx, JsonNode parts) {
        String analysis = parts.get("item").get("analysis").asText();
        if (!enabled(settings(ctx), analysis)) return 0;
        if (analysis.equals("phases")) {
            return exampleSpecs(ctx).size() * ctx.model().numLayers() * 3;
        }
        return -1;
    }

    /** The run's analyses settings. */
    public static AnalysisSettings settings(RunContext ctx) {
        return AnalysisSettings.parse(ctx.study().file().toString(), analysesNode(ctx));
    }

    /**
     * The study's {@code analyses} mapping as written (null when absent): from the study stored with
     * the run, or, while planning a run not yet created, from the study file itself.
     */
    public static JsonNode analysesNode(RunContext ctx) {
        try {
            JsonNode study;
            if (ctx.runId() > 0) {
                JsonNode root = JSON.readTree(ctx.store().runs().find(ctx.runId()).orElseThrow().studyJson());
                study = root.has("study") ? root.get("study") : root;
            } else {
                study = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(ctx.study().file().toFile());
            }
            JsonNode n = study == null ? null : study.get("analyses");
            return n == null || n.isNull() ? null : n;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("run " + ctx.runId() + ": reading the study's analyses from " + ctx.study().file() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Whether the study runs this analysis ('map' follows 'similarity'). */
    static boolean enabled(AnalysisSettings s, String analysis) {
        return switch (analysis) {
            case "phases" -> s.phases();
            case "similarity", "map" -> s.similarity();
            case "conflict" -> s.conflict();
            default -> throw new IllegalArgumentException("no analysis " + analysis);
        };
    }

    /** The example specifications the study captures (the phases and the map follow these prompts). */
    public static List<Specification> exampleSpecs(RunContext ctx) {
        List<Specification> out = new ArrayList<>();
        if (ctx.study().specifications().textExamples()) out.add(Specification.TEXT_EXAMPLES);
        if (ctx.study().specifications().imageExamples()) out.add(Specification.IMAGE_EXAMPLES);
        return out;
    }

    /** The layer of the map: the study's, else the middle one. */
    public static int mapLayer(RunContext ctx, AnalysisSettings settings) {
        int layers = ctx.model().numLayers();
        int l = settings.mapLayer() != null ? settings.mapLayer() : layers / 2;
        if (l >= layers) throw new IllegalArgumentException(ctx.study().file() + ": analyses.map_layer: " + l + " but the model has "
                + layers + " layers");
        return l;
    }

    private static void phases(RunContext ctx, AnalysisSettings settings, String task) throws SQLException {
        int seed = ctx.study().seeds().get(0);
        var tokenizer = ctx.model().tokenizer();
        String word = settings.taskWord(task);
        try (Connection c = ctx.store().dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement lens = c.prepareStatement("INSERT INTO phase_lens (run_id, model, task, spec, modality, layer, probe,"
                    + " token, probability, prompts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
                 PreparedStatement tokens = c.prepareStatement("INSERT INTO phase_tokens (run_id, model, task, spec, modality, layer, rank,"
                         + " token_id, token, share, mean_probability) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (Specification spec : exampleSpecs(ctx)) {
                    List<PlannedPrompt> plans = new ArrayList<>();
                    for (TaskItem q : ctx.dataset().items(task, Split.VAL)) plans.add(ctx.planner().source(task, seed, Split.VAL, q, spec));
                    List<ResolvedPrompt> resolved = ctx.encoder().resolveAll(plans);
                    List<LayerVectors> residuals = VectorCapture.atWrite(ctx.model(), ctx.encoder(), resolved); // per prompt (L, D)
                    List<PhasePrompt> prompts = new ArrayList<>();
                    int inputId = -1;
                    for (int i = 0; i < resolved.size(); i++) {
                        ResolvedPrompt r = resolved.get(i);
                        // the input probe: the study's token, else the delimiter the prompt ends in
                        inputId = settings.inputToken() != null ? PhaseLens.continuationId(tokenizer, "", settings.inputToken())
                                : r.ids()[r.writePosition()];
                        String text = r.plan().text();
                        String answer = ctx.dataset().item(task, Split.VAL, r.plan().item()).output();
                        prompts.add(new PhasePrompt(residuals.get(i).values(), inputId,
                                PhaseLens.continuationId(tokenizer, text, word), PhaseLens.continuationId(tokenizer, text, answer)));
                    }
                    PhaseResult result = PhaseLens.analyze(ctx.model()::logitLens, prompts, TOP_TOKENS, tokenizer::tokenText);
                    String inputText = tokenizer.tokenText(inputId);
                    for (PhaseRow row : result.probabilities()) {
                        lens.setLong(1, ctx.runId());
                        lens.setString(2, ctx.modelName());
                        lens.setString(3, task);
                        lens.setString(4, spec.label());
                        lens.setString(5, spec.modality().label());
                        lens.setInt(6, row.layer());
                        lens.setString(7, row.probe().db());
                        lens.setString(8, switch (row.probe()) {
                            case INPUT -> inputText;
                            case TASK -> word;
                            case ANSWER -> null;
                        });
                        lens.setDouble(9, Math.min(1.0, row.probability()));
                        lens.setInt(10, row.prompts());
                        lens.addBatch();
                    }
                    for (DecodedToken t : result.topTokens()) {
                        tokens.setLong(1, ctx.runId());
                        tokens.setString(2, ctx.modelName());
                        tokens.setString(3, task);
                        tokens.setString(4, spec.label());
                        tokens.setString(5, spec.modality().label());
                        tokens.setInt(6, t.layer());
                        tokens.setInt(7, t.rank());
                        tokens.setInt(8, t.tokenId());
                        tokens.setString(9, t.token() == null ? "#" + t.tokenId() : t.token());
                        tokens.setDouble(10, Math.min(1.0, t.share()));
                        tokens.setDouble(11, Math.min(1.0, t.meanProbability()));
                        tokens.addBatch();
                    }
                }
                lens.executeBatch();
                tokens.executeBatch();
            }
            c.commit();
        }
    }

    /** The spec's modality: instruction and ensemble vectors come from text. */
    private static String modalityOf(String spec) {
        return spec.equals(Specification.IMAGE_EXAMPLES.label()) ? Modality.IMAGE.label() : Modality.TEXT.label();
    }

    /** Task vectors per (task, spec) with seeds averaged: the means, and the ensembles when the study makes them. */
    private static List<LabeledVectors> taskVectors(RunContext ctx) {
        List<String> specs = new ArrayList<>();
        for (Specification s : exampleSpecs(ctx)) specs.add(s.label());
        if (ctx.study().specifications().instructionsEnabled()) specs.add(Specification.INSTRUCTION.label());
        if (ctx.study().ensembling().enabled()) specs.add("ensemble");
        List<LabeledVectors> out = new ArrayList<>();
        for (String task : ctx.study().tasks()) {
            for (String spec : specs) add(ctx, out, ctx.modelName(), task, spec);
            // the base LLM's vectors (LLM->VLM) sit beside the VLM's, under the LLM's name
            if (ctx.source() != null) {
                for (String spec : specs) {
                    if (!spec.equals(Specification.IMAGE_EXAMPLES.label())) add(ctx, out, ctx.source().name(), task, "source:" + spec);
                }
            }
        }
        return out;
    }

    /** The seeds' mean of one stored task vector, when the run has it. */
    private static void add(RunContext ctx, List<LabeledVectors> out, String model, String task, String spec) {
        Vector.Kind kind = spec.endsWith("ensemble") ? Vector.Kind.ENSEMBLE : Vector.Kind.MEAN;
        List<LayerVectors> perSeed = new ArrayList<>();
        List<Integer> seeds = new ArrayList<>(ctx.study().seeds());
        seeds.add(0); // vectors no seed influences (an instruction's) may be stored under seed 0
        for (int seed : new java.util.LinkedHashSet<>(seeds)) {
            List<Vector> rows = ctx.store().vectors().list(ctx.runId(), model, task, spec, seed, kind);
            if (!rows.isEmpty()) perSeed.add(byLayer(rows));
        }
        if (perSeed.isEmpty()) return;
        String label = spec.startsWith("source:") ? spec.substring("source:".length()) : spec;
        out.add(new LabeledVectors(new VectorLabel(model, task, label, modalityOf(label)), VectorMath.mean(perSeed)));
    }

    /** One vector per layer, in layer order; several variants (ensemble recipes) keep the first. */
    private static LayerVectors byLayer(List<Vector> rows) {
        Map<Integer, float[]> layers = new LinkedHashMap<>();
        for (Vector v : rows) layers.putIfAbsent(v.layer(), v.elements());
        float[][] values = new float[layers.size()][];
        for (Map.Entry<Integer, float[]> e : layers.entrySet()) values[e.getKey()] = e.getValue();
        return new LayerVectors(values);
    }

    private static void similarity(RunContext ctx) throws SQLException {
        List<SimilarityRow> rows = VectorSimilarity.allPairs(taskVectors(ctx));
        try (Connection c = ctx.store().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO vector_similarity (run_id, layer, a_model, a_task, a_spec, a_modality,"
                     + " b_model, b_task, b_spec, b_modality, cosine) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            c.setAutoCommit(false);
            for (SimilarityRow r : rows) {
                ps.setLong(1, ctx.runId());
                ps.setInt(2, r.layer());
                ps.setString(3, r.a().model());
                ps.setString(4, r.a().task());
                ps.setString(5, r.a().spec());
                ps.setString(6, r.a().modality());
                ps.setString(7, r.b().model());
                ps.setString(8, r.b().task());
                ps.setString(9, r.b().spec());
                ps.setString(10, r.b().modality());
                ps.setDouble(11, Math.max(-1.0, Math.min(1.0, r.cosine())));
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        }
    }

    /** One point of the map before projection. */
    private record MapPoint(String kind, String task, Specification spec, String item, float[] value) {}

    private static void map(RunContext ctx, AnalysisSettings settings) throws SQLException {
        int layer = mapLayer(ctx, settings);
        int seed = ctx.study().seeds().get(0);
        HookName embed = HookName.block("", 0, "hook_resid_pre"); // the input embeddings, image features merged in
        List<MapPoint> vectors = new ArrayList<>(), contexts = new ArrayList<>();
        String placeholder = ctx.encoder().imagePlaceholder();
        for (String task : ctx.study().tasks()) {
            for (Specification spec : exampleSpecs(ctx)) {
                for (Vector v : ctx.store().vectors().list(ctx.runId(), ctx.modelName(), task, spec.label(), seed, Vector.Kind.PROMPT)) {
                    if (v.layer() != layer) continue;
                    vectors.add(new MapPoint("task_vector", task, spec, v.variant(), v.elements()));
                    // the context it came from: mean over demonstrations of the mean embedding of each one's input
                    PlannedPrompt plan = ctx.planner().source(task, seed, Split.VAL, ctx.dataset().item(task, Split.VAL, v.variant()), spec);
                    ResolvedPrompt r = ctx.encoder().resolve(plan);
                    List<DemonstrationSpans.Span> spans = DemonstrationSpans.inputs(ctx.model().tokenizer(), plan.text(), r.length(), placeholder);
                    List<Capture> captures = new ArrayList<>();
                    for (DemonstrationSpans.Span s : spans) for (int p = s.from(); p < s.to(); p++) captures.add(new Capture(embed, p));
                    RowResult result = ctx.model().run(List.of(new Row(ctx.encoder().encode(r), List.of(), captures, 0, Set.of()))).get(0);
                    List<float[]> demos = new ArrayList<>();
                    for (DemonstrationSpans.Span s : spans) {
                        float[][] rows = new float[s.to() - s.from()][];
                        for (int p = s.from(); p < s.to(); p++) rows[p - s.from()] = result.captured().get(new Capture(embed, p)); // (D)
                        demos.add(ContextEmbedding.meanOf(rows, 0, rows.length));
                    }
                    contexts.add(new MapPoint("context", task, spec, v.variant(), ContextEmbedding.meanOfAll(demos)));
                }
            }
        }
        try (Connection c = ctx.store().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO embedding_map (run_id, layer, method, kind, model, task, spec, modality,"
                     + " item, x, y) VALUES (?, ?, 'pca', ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            c.setAutoCommit(false);
            // each kind gets its own projection: residuals at a layer and input embeddings live on different scales
            for (List<MapPoint> points : List.of(vectors, contexts)) {
                if (points.size() < 2) continue;
                double[][] xy = Pca2d.project(points.stream().map(MapPoint::value).toList());
                for (int i = 0; i < points.size(); i++) {
                    MapPoint p = points.get(i);
                    ps.setLong(1, ctx.runId());
                    ps.setInt(2, layer);
                    ps.setString(3, p.kind());
                    ps.setString(4, ctx.modelName());
                    ps.setString(5, p.task());
                    ps.setString(6, p.spec().label());
                    ps.setString(7, p.spec().modality().label());
                    ps.setString(8, p.item());
                    ps.setDouble(9, xy[i][0]);
                    ps.setDouble(10, xy[i][1]);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
            c.commit();
        }
    }

    /** The chosen (val) layer of a vector for a query modality, else the middle layer. */
    private static int chosenLayer(RunContext ctx, String spec, String modality) throws SQLException {
        try (Connection c = ctx.store().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT layer FROM best_layer WHERE run_id = ? AND model = ? AND spec = ?"
                     + " AND modality = ? AND mode IS NOT DISTINCT FROM 'replace' AND alpha IS NULL")) {
            ps.setLong(1, ctx.runId());
            ps.setString(2, ctx.modelName());
            ps.setString(3, spec);
            ps.setString(4, modality);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : ctx.model().numLayers() / 2;
            }
        }
    }

    /** The tasks of the study in domains that hold at least two of them. */
    public static Map<String, List<String>> conflictDomains(List<String> tasks) {
        Map<String, List<String>> byDomain = new LinkedHashMap<>();
        for (String t : tasks) byDomain.computeIfAbsent(Domains.of(t), d -> new ArrayList<>()).add(t);
        byDomain.values().removeIf(l -> l.size() < 2);
        return byDomain;
    }

    private static void conflict(RunContext ctx) throws SQLException {
        int seed = ctx.study().seeds().get(0);
        List<Specification> specs = exampleSpecs(ctx);
        if (specs.isEmpty()) return;
        Specification spec = specs.get(0);
        ModalityPair pair = ctx.study().modalityPairs().stream().filter(p -> p.source() == spec.modality()).findFirst()
                .orElse(ctx.study().modalityPairs().get(0));
        Modality target = pair.target();
        int layer = chosenLayer(ctx, spec.label(), target.label());
        Evaluator evaluator = ctx.evaluator();
        boolean lowercase = ctx.study().lowercase();
        try (Connection c = ctx.store().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO task_conflict (run_id, model, prompted_task, patched_task, spec, modality,"
                     + " layer, n, patched, prompted, neither) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (List<String> domain : conflictDomains(ctx.study().tasks()).values()) {
                for (String prompted : domain) {
                    for (String patched : domain) {
                        if (prompted.equals(patched)) continue;
                        List<Vector> rows = ctx.store().vectors().list(ctx.runId(), ctx.modelName(), patched, spec.label(), seed, Vector.Kind.MEAN);
                        if (rows.isEmpty()) continue;
                        Map<String, String> patchedLabels = new LinkedHashMap<>();
                        for (TaskItem t : ctx.dataset().items(patched, Split.TEST)) patchedLabels.put(t.input(), t.output());
                        List<PlannedPrompt> plans = new ArrayList<>();
                        for (TaskItem q : ctx.dataset().items(prompted, Split.TEST)) {
                            if (patchedLabels.containsKey(q.input())) plans.add(ctx.planner().context(prompted, seed, Split.TEST, q, spec.modality(), target));
                        }
                        if (plans.isEmpty()) continue;
                        List<Prediction> answers = evaluator.patchAt(ctx.encoder().resolveAll(plans), seed, List.of(new Evaluator.PatchAt(
                                new Evaluator.Patch("conflict", PatchVector.replace(byLayer(rows))), layer)));
                        List<ConflictAnswer> tally = new ArrayList<>();
                        for (int i = 0; i < answers.size(); i++) {
                            TaskItem q = ctx.dataset().item(prompted, Split.TEST, plans.get(i).item());
                            tally.add(new ConflictAnswer(answers.get(i).prediction(), q.output(), patchedLabels.get(q.input())));
                        }
                        ConflictShares s = ConflictTally.shares(tally, (o, l) -> AnswerScorer.isCorrect(o, l, lowercase));
                        ps.setLong(1, ctx.runId());
                        ps.setString(2, ctx.modelName());
                        ps.setString(3, prompted);
                        ps.setString(4, patched);
                        ps.setString(5, spec.label());
                        ps.setString(6, target.label());
                        ps.setInt(7, layer);
                        ps.setInt(8, s.n());
                        ps.setDouble(9, s.patched());
                        ps.setDouble(10, s.prompted());
                        ps.setDouble(11, s.neither());
                        ps.executeUpdate();
                    }
                }
            }
        }
    }
}
