package taskvec.workflow.stage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import taskvec.store.repo.AnalysisRepository;
import taskvec.store.repo.Vector;
import taskvec.study.analysis.LabeledVectors;
import taskvec.study.analysis.SimilarityRow;
import taskvec.study.analysis.VectorLabel;
import taskvec.study.analysis.VectorSimilarity;
import taskvec.study.prompt.Specification;
import taskvec.study.vectors.LayerVectors;
import taskvec.study.vectors.VectorMath;
import taskvec.study.vectors.VectorName;
import taskvec.workflow.context.RunContext;
import taskvec.workflow.context.StudyModel;

/** The analyze stage's 'similarity' item: cosines between every two task vectors (seeds averaged), the source model's beside the target's. */
final class SimilarityAnalysis {
    private SimilarityAnalysis() {}

    static void run(RunContext ctx) {
        List<AnalysisRepository.SimilarityRow> rows = new ArrayList<>();
        for (SimilarityRow r : VectorSimilarity.allPairs(taskVectors(ctx))) {
            rows.add(new AnalysisRepository.SimilarityRow(r.layer(), ref(r.a()), ref(r.b()), Math.max(-1.0, Math.min(1.0, r.cosine()))));
        }
        ctx.store().analyses().insertSimilarity(ctx.runId(), rows);
    }

    private static AnalysisRepository.VectorRef ref(VectorLabel l) {
        return new AnalysisRepository.VectorRef(l.model(), l.task(), l.spec(), l.modality());
    }

    /** Task vectors per (task, spec) with seeds averaged: the means, and the ensembles when the study makes them. */
    private static List<LabeledVectors> taskVectors(RunContext ctx) {
        List<VectorName> names = new ArrayList<>();
        for (Specification s : AnalyzeStage.exampleSpecs(ctx)) names.add(VectorName.of(s));
        if (ctx.study().specifications().instructionsEnabled()) names.add(VectorName.of(Specification.INSTRUCTION));
        if (ctx.study().ensembling().enabled()) names.add(VectorName.ensemble());
        List<LabeledVectors> out = new ArrayList<>();
        for (String task : ctx.study().tasks()) {
            for (VectorName name : names) add(ctx, out, ctx.target(), task, name);
            // the base LLM's vectors (LLM->VLM) sit beside the VLM's, under the LLM's name
            ctx.source().ifPresent(source -> {
                for (VectorName name : names) {
                    if (name.recipe() != VectorName.Recipe.IMAGE_EXAMPLES) add(ctx, out, source, task, name.onSourceModel());
                }
            });
        }
        return out;
    }

    /** The seeds' mean of one stored task vector, when the run has it. */
    private static void add(RunContext ctx, List<LabeledVectors> out, StudyModel model, String task, VectorName name) {
        Vector.Kind kind = name.recipe() == VectorName.Recipe.ENSEMBLE ? Vector.Kind.ENSEMBLE : Vector.Kind.MEAN;
        List<LayerVectors> perSeed = new ArrayList<>();
        List<Integer> seeds = new ArrayList<>(ctx.study().seeds());
        seeds.add(0); // vectors no seed influences (an instruction's) may be stored under seed 0
        for (int seed : new LinkedHashSet<>(seeds)) {
            List<Vector> rows = ctx.store().vectors().list(ctx.runId(), model.name(), task, name.toString(), seed, kind);
            if (!rows.isEmpty()) perSeed.add(byLayer(rows));
        }
        if (perSeed.isEmpty()) return;
        VectorName label = name.onTarget();
        out.add(new LabeledVectors(new VectorLabel(model.name(), task, label.toString(), label.sourceModality().label()), VectorMath.mean(perSeed)));
    }

    /** One vector per layer, in layer order; several variants keep the first. */
    static LayerVectors byLayer(List<Vector> rows) {
        Map<Integer, float[]> layers = new LinkedHashMap<>();
        for (Vector v : rows) layers.putIfAbsent(v.layer(), v.elements());
        float[][] values = new float[layers.size()][];
        for (Map.Entry<Integer, float[]> e : layers.entrySet()) values[e.getKey()] = e.getValue();
        return new LayerVectors(values);
    }
}
