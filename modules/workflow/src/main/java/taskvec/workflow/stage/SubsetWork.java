package taskvec.workflow.stage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import taskvec.store.repo.Vector;
import taskvec.study.config.Study;
import taskvec.study.data.Split;
import taskvec.study.prompt.Specification;
import taskvec.study.vectors.LayerVectors;
import taskvec.study.vectors.SampleEfficiency;
import taskvec.study.vectors.VectorMath;
import taskvec.workflow.RunContext;
import taskvec.workflow.plan.StudyPlan;

/**
 * The sample-efficiency curve of (task, seed), as InMemoryStudy makes it: for r = 1..max, the mean
 * of r seeded 5-shot text-example prompt vectors ("subset-r{r}:text-examples", kind 'subset',
 * the chosen prompt vectors as parents) and, with ensembling and an instruction, its ensemble
 * with the instruction ("subset-r{r}:ensemble", the subset and the instruction as parents).
 */
public final class SubsetWork implements ItemWork {

    @Override
    public void execute(RunContext ctx, JsonNode parts) {
        JsonNode item = parts.get("item");
        Study study = ctx.study();
        String task = item.get("task").asText();
        int seed = item.get("seed").asInt();
        String examples = Specification.TEXT_EXAMPLES.label();
        List<String> order = ctx.dataset().items(task, Split.VAL).stream().map(i -> i.id()).toList();
        List<AverageWork.Captured> captured = AverageWork.captured(ctx, ctx.modelName(), task, examples, seed, Vector.Kind.PROMPT, order);
        List<LayerVectors> perPrompt = captured.stream().map(AverageWork.Captured::values).toList();
        List<Vector> instruction = ensembles(study)
                ? EnsembleWork.means(ctx, ctx.modelName(), task, seed, Specification.INSTRUCTION.label(), Vector.Kind.MEAN) : null;
        double[] w = {study.ensembling().exemplarWeight(), study.ensembling().instructionWeight()};
        int max = StudyPlan.maxSubsetPrompts(study, perPrompt.size());
        for (SampleEfficiency.Subset s : SampleEfficiency.curve(task, examples, seed, max, study.shots(), perPrompt)) {
            List<Vector> rows = new ArrayList<>();
            for (int l = 0; l < s.mean().numLayers(); l++) {
                List<Long> parents = new ArrayList<>();
                for (int i : s.chosen()) parents.add(captured.get(i).ids()[l]);
                rows.add(Vector.of(ctx.runId(), ctx.modelName(), task, StudyPlan.subsetName(s.prompts(), examples), seed, l,
                        Vector.Kind.SUBSET, "", null, s.mean().layer(l), parents));
            }
            List<Long> ids = ctx.store().vectors().insertAll(rows);
            if (instruction == null) continue;
            LayerVectors ens = VectorMath.weighted(List.of(s.mean(), EnsembleWork.layers(instruction)), w);
            List<Vector> ensRows = new ArrayList<>();
            for (int l = 0; l < ens.numLayers(); l++) {
                ensRows.add(Vector.of(ctx.runId(), ctx.modelName(), task, StudyPlan.subsetName(s.prompts(), "ensemble"), seed, l,
                        Vector.Kind.SUBSET, "", null, ens.layer(l), List.of(ids.get(l), instruction.get(l).id())));
            }
            ctx.store().vectors().insertAll(ensRows);
        }
    }

    private static boolean ensembles(Study study) {
        return study.ensembling().enabled() && study.specifications().instructionsEnabled();
    }

    @Override
    public int expectedOutputs(RunContext ctx, JsonNode parts) {
        String task = parts.get("item").get("task").asText();
        int max = StudyPlan.maxSubsetPrompts(ctx.study(), ctx.dataset().items(task, Split.VAL).size());
        return max * ctx.model().numLayers() * (ensembles(ctx.study()) ? 2 : 1);
    }
}
