package taskvec.workflow.stage;

import java.util.ArrayList;
import java.util.List;
import taskvec.store.repo.AnalysisRepository.PhaseLensRow;
import taskvec.store.repo.AnalysisRepository.PhaseTokenRow;
import taskvec.study.analysis.DecodedToken;
import taskvec.study.analysis.PhaseLens;
import taskvec.study.analysis.PhasePrompt;
import taskvec.study.analysis.PhaseResult;
import taskvec.study.analysis.PhaseRow;
import taskvec.study.config.AnalysisSettings;
import taskvec.study.data.Split;
import taskvec.study.data.TaskItem;
import taskvec.study.prompt.PlannedPrompt;
import taskvec.study.prompt.ResolvedPrompt;
import taskvec.study.prompt.Specification;
import taskvec.study.vectors.LayerVectors;
import taskvec.study.vectors.VectorCapture;
import taskvec.workflow.context.RunContext;
import taskvec.workflow.context.StudyModel;

/** The analyze stage's 'phases' item: the logit lens of the input, task and answer probes over the layers, per example specification. */
final class PhasesAnalysis {
    /** Rows per (spec, layer): the input, task and answer probes. */
    static final int PROBES = 3;
    private static final int TOP_TOKENS = 5;

    private PhasesAnalysis() {}

    static void run(RunContext ctx, AnalysisSettings settings, String task) {
        int seed = ctx.study().seeds().get(0);
        StudyModel target = ctx.target();
        var tokenizer = target.model().tokenizer();
        String word = settings.taskWord(task);
        List<PhaseLensRow> lens = new ArrayList<>();
        List<PhaseTokenRow> tokens = new ArrayList<>();
        for (Specification spec : AnalyzeStage.exampleSpecs(ctx)) {
            List<PlannedPrompt> plans = new ArrayList<>();
            for (TaskItem q : ctx.dataset().items(task, Split.VAL)) plans.add(target.planner().source(task, seed, Split.VAL, q, spec));
            List<ResolvedPrompt> resolved = target.encoder().resolveAll(plans);
            List<LayerVectors> residuals = VectorCapture.atWrite(target.model(), target.encoder(), resolved); // per prompt (L, D)
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
            PhaseResult result = PhaseLens.analyze(target.model()::logitLens, prompts, TOP_TOKENS, tokenizer::tokenText);
            String inputText = tokenizer.tokenText(inputId);
            String modality = spec.modality().label();
            for (PhaseRow row : result.probabilities()) {
                String token = switch (row.probe()) {
                    case INPUT -> inputText;
                    case TASK -> word;
                    case ANSWER -> null;
                };
                lens.add(new PhaseLensRow(task, spec.label(), modality, row.layer(), row.probe().db(), token, Math.min(1.0, row.probability()),
                        row.prompts()));
            }
            for (DecodedToken t : result.topTokens()) {
                tokens.add(new PhaseTokenRow(task, spec.label(), modality, t.layer(), t.rank(), t.tokenId(),
                        t.token() == null ? "#" + t.tokenId() : t.token(), Math.min(1.0, t.share()), Math.min(1.0, t.meanProbability())));
            }
        }
        ctx.store().analyses().insertPhases(ctx.runId(), target.name(), lens, tokens);
    }
}
