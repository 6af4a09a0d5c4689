package taskvec.study.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import taskvec.study.StudyInputException;
import taskvec.study.prompt.ModalityPair;

/**
 * A validated study file with every default filled in. {@code layers} is null for "all layers";
 * {@code source} is null when vectors come from the target model only; {@code preResizeWidth} is
 * null when images go to the processor as they are; {@code analyses} holds the analyze stage's settings.
 */
public record Study(
        Path file,
        Models models,
        Path datasetRoot,
        List<String> tasks,
        List<Integer> seeds,
        Specifications specifications,
        List<ModalityPair> modalityPairs,
        int shots,
        List<Integer> layers,
        Decoding decoding,
        boolean lowercase,
        Interventions interventions,
        SampleEfficiency sampleEfficiency,
        Ensembling ensembling,
        Integer preResizeWidth,
        AnalysisSettings analyses) {

    /**
     * target: the model that is evaluated (and captures vectors); source: an optional second
     * model (the base LLM) whose text vectors are also patched into the target (LLM->VLM).
     */
    public record Models(ModelRef target, ModelRef source) {}

    /** Which specifications to capture; instructions maps task to its instruction string (empty = none). */
    public record Specifications(boolean textExamples, boolean imageExamples, Map<String, String> instructions) {
        public boolean instructionsEnabled() {
            return !instructions.isEmpty();
        }
    }

    public record Decoding(int maxNewTokens, boolean stopAtNewline) {}

    /** modes to run (both may run in one study); alphas apply to ADD. */
    public record Interventions(List<InterventionMode> modes, List<Double> alphas) {}

    /** The n = shots * r curve for r = 1..maxPrompts. */
    public record SampleEfficiency(boolean enabled, int maxPrompts) {}

    /** ensemble = exemplarWeight * exemplar + instructionWeight * instruction, per layer. */
    public record Ensembling(boolean enabled, double exemplarWeight, double instructionWeight) {}

    /** The layers to evaluate for a model with numLayers layers: the study's list, checked, or all. */
    public List<Integer> resolveLayers(int numLayers) {
        if (layers == null) {
            List<Integer> all = new ArrayList<>(numLayers);
            for (int l = 0; l < numLayers; l++) all.add(l);
            return all;
        }
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) >= numLayers) {
                throw new StudyInputException(file + ": layers[" + i + "]: layer " + layers.get(i)
                        + " does not exist (the model has " + numLayers + " layers, 0.." + (numLayers - 1) + ")");
            }
        }
        return layers;
    }

    /** The study with the target model's folder set (the CLI's --model-dir). */
    public Study withTargetDir(Path dir) {
        return new Study(file, new Models(models.target().withDir(dir), models.source()), datasetRoot, tasks, seeds,
                specifications, modalityPairs, shots, layers, decoding, lowercase, interventions, sampleEfficiency,
                ensembling, preResizeWidth, analyses);
    }

    /** The study with the source model's folder set. */
    public Study withSourceDir(Path dir) {
        ModelRef src = models.source() == null ? new ModelRef(dir, null, null) : models.source().withDir(dir);
        return new Study(file, new Models(models.target(), src), datasetRoot, tasks, seeds,
                specifications, modalityPairs, shots, layers, decoding, lowercase, interventions, sampleEfficiency,
                ensembling, preResizeWidth, analyses);
    }
}
