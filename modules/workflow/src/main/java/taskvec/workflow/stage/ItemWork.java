package taskvec.workflow.stage;

import com.fasterxml.jackson.databind.JsonNode;
import taskvec.workflow.RunContext;
import taskvec.workflow.plan.StudyPlan;

/** What one stage does for one of its items (plain code over the study library and the store). */
public interface ItemWork {
    /** Does the item (its key parts: parts.item says what) and writes its outputs in one transaction, idempotently. */
    void execute(RunContext ctx, JsonNode parts);

    /** How many rows the item writes (negative: "some"), to tell complete outputs from partial ones. */
    int expectedOutputs(RunContext ctx, JsonNode parts);

    /** The work of a stage's item (the ensemble stage also makes sample-efficiency subsets and transfer cosines). */
    static ItemWork of(String stage, JsonNode item) {
        return switch (stage) {
            case "prepare" -> new PrepareWork();
            case "capture" -> new CaptureWork();
            case "average" -> new AverageWork();
            case "ensemble" -> switch (item.path("spec").asText("ensemble")) {
                case StudyPlan.SUBSETS -> new SubsetWork();
                case StudyPlan.TRANSFER_COSINE -> new TransferCosineWork();
                default -> new EnsembleWork();
            };
            case "evaluate" -> new EvaluateWork();
            case "analyze" -> new AnalyzeWork();
            case "report" -> new ReportWork();
            default -> throw new IllegalArgumentException("no stage " + stage);
        };
    }
}
