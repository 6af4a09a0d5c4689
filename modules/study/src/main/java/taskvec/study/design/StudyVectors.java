package taskvec.study.design;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import taskvec.study.config.InterventionMode;
import taskvec.study.config.Study;
import taskvec.study.data.Domains;
import taskvec.study.data.Split;
import taskvec.study.prompt.Modality;
import taskvec.study.prompt.ModalityPair;
import taskvec.study.prompt.Specification;
import taskvec.study.vectors.VectorName;

/**
 * Which task vectors a study makes and which it patches where: the one answer the workflow's
 * stages, the in-memory study and the organism's evaluation all ask.
 */
public final class StudyVectors {
    private StudyVectors() {}

    /** The specifications whose vectors the study captures: examples per source modality, instructions for text sources. */
    public static List<Specification> captured(Study study) {
        Set<Specification> specs = new LinkedHashSet<>();
        for (ModalityPair pair : study.modalityPairs()) {
            if (pair.source() == Modality.TEXT && study.specifications().textExamples()) specs.add(Specification.TEXT_EXAMPLES);
            if (pair.source() == Modality.IMAGE && study.specifications().imageExamples()) specs.add(Specification.IMAGE_EXAMPLES);
        }
        if (study.specifications().instructionsEnabled() && textSource(study)) specs.add(Specification.INSTRUCTION);
        return List.copyOf(specs);
    }

    /** The vectors captured on the source model (LLM->VLM): its text examples and instruction, for text sources. */
    public static List<VectorName> onSource(Study study, boolean hasSource) {
        List<VectorName> out = new ArrayList<>();
        if (!hasSource || !textSource(study)) return out;
        if (study.specifications().textExamples()) out.add(VectorName.of(Specification.TEXT_EXAMPLES).onSourceModel());
        if (study.specifications().instructionsEnabled()) out.add(VectorName.of(Specification.INSTRUCTION).onSourceModel());
        return out;
    }

    public static boolean textSource(Study study) {
        return study.modalityPairs().stream().anyMatch(p -> p.source() == Modality.TEXT);
    }

    public static boolean addMode(Study study) {
        return study.interventions().modes().contains(InterventionMode.ADD);
    }

    /** Sample efficiency runs when asked for and text examples are captured. */
    public static boolean sampleEfficiency(Study study) {
        return study.sampleEfficiency().enabled() && captured(study).contains(Specification.TEXT_EXAMPLES);
    }

    /** Subsets are also ensembled with the instruction when the study ensembles and has instructions. */
    public static boolean subsetEnsembles(Study study) {
        return study.ensembling().enabled() && study.specifications().instructionsEnabled();
    }

    /** r = 1..this: the study's maximum, at most the number of val prompts. */
    public static int maxSubsetPrompts(Study study, int valItems) {
        return Math.min(study.sampleEfficiency().maxPrompts(), valItems);
    }

    /** The query modalities of the study's pairs, in pair order. */
    public static Set<Modality> targets(Study study) {
        Set<Modality> out = new LinkedHashSet<>();
        for (ModalityPair pair : study.modalityPairs()) out.add(pair.target());
        return out;
    }

    /** The tasks of each domain in study order (the additive baseline averages their zero-shot queries in this order). */
    public static Map<String, List<String>> domains(Study study) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String task : study.tasks()) out.computeIfAbsent(Domains.of(task), d -> new ArrayList<>()).add(task);
        return out;
    }

    /**
     * The vectors patched for a pair: image->X gets image examples; text->X gets text examples,
     * instruction and ensemble as enabled, each also on the source model when there is one.
     */
    public static List<VectorName> patched(Study study, ModalityPair pair, boolean hasSource) {
        List<VectorName> names = new ArrayList<>();
        if (pair.source() == Modality.IMAGE) {
            if (study.specifications().imageExamples()) names.add(VectorName.of(Specification.IMAGE_EXAMPLES));
            return names;
        }
        for (boolean source : hasSource ? List.of(false, true) : List.of(false)) {
            List<VectorName> mine = new ArrayList<>();
            if (study.specifications().textExamples()) mine.add(VectorName.of(Specification.TEXT_EXAMPLES));
            if (study.specifications().instructionsEnabled()) mine.add(VectorName.of(Specification.INSTRUCTION));
            if (study.ensembling().enabled()) mine.add(VectorName.ensemble());
            for (VectorName n : mine) names.add(source ? n.onSourceModel() : n);
        }
        return names;
    }

    /** As {@link #patched(Study, ModalityPair, boolean)}; on test, text sources also get the sample-efficiency subsets. */
    public static List<VectorName> patched(Study study, ModalityPair pair, boolean hasSource, Split split, int valItems) {
        List<VectorName> names = new ArrayList<>(patched(study, pair, hasSource));
        if (split == Split.TEST && pair.source() == Modality.TEXT && sampleEfficiency(study)) names.addAll(subsets(study, valItems));
        return names;
    }

    /** The sample-efficiency vectors: subset-r{r}:text-examples and, when ensembled, subset-r{r}:ensemble. */
    public static List<VectorName> subsets(Study study, int valItems) {
        List<VectorName> names = new ArrayList<>();
        for (int r = 1; r <= maxSubsetPrompts(study, valItems); r++) {
            names.add(VectorName.of(Specification.TEXT_EXAMPLES).subset(r));
            if (subsetEnsembles(study)) names.add(VectorName.ensemble().subset(r));
        }
        return names;
    }
}
