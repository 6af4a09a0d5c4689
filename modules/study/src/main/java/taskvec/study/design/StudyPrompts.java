package taskvec.study.design;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import taskvec.study.config.Study;
import taskvec.study.data.Dataset;
import taskvec.study.data.Split;
import taskvec.study.data.TaskItem;
import taskvec.study.prompt.Modality;
import taskvec.study.prompt.ModalityPair;
import taskvec.study.prompt.PlannedPrompt;
import taskvec.study.prompt.PromptPlanner;
import taskvec.study.prompt.Specification;

/** Every prompt a study runs (what prepare tokenizes and `taskvec prompts` lists). */
public final class StudyPrompts {
    private StudyPrompts() {}

    /** Which prompts to list; null fields mean "all". */
    public record Filter(String task, Integer seed, Split split) {
        public static final Filter ALL = new Filter(null, null, null);

        public boolean task(String t) {
            return task == null || task.equals(t);
        }

        public boolean split(Split s) {
            return split == null || split == s;
        }

        public boolean seed(Integer s) {
            return seed == null || s == null || seed.equals(s);
        }
    }

    /**
     * Every prompt the study runs, in a stable order: per task, the source prompts (val, per seed
     * and specification), the instruction, the zero-shot queries (val and test, per target
     * modality), and the context prompts (per modality pair, split and seed).
     */
    public static List<PlannedPrompt> of(Study study, Dataset dataset, String imagePlaceholder, Filter filter) {
        PromptPlanner planner = new PromptPlanner(dataset, study.shots(), imagePlaceholder);
        List<Specification> sourceSpecs = new ArrayList<>(StudyVectors.captured(study));
        boolean instructions = sourceSpecs.remove(Specification.INSTRUCTION);
        Set<Modality> targets = StudyVectors.targets(study);
        List<PlannedPrompt> out = new ArrayList<>();
        for (String task : study.tasks()) {
            if (!filter.task(task)) continue;
            if (filter.split(Split.VAL)) {
                for (int seed : study.seeds()) {
                    if (!filter.seed(seed)) continue;
                    for (Specification spec : sourceSpecs) {
                        for (TaskItem item : dataset.items(task, Split.VAL)) out.add(planner.source(task, seed, Split.VAL, item, spec));
                    }
                }
            }
            if (instructions && filter.split(Split.VAL)) { // instruction vectors are val-side artifacts, like the example vectors
                out.add(planner.instruction(task, study.specifications().instructions().get(task)));
            }
            for (Split split : Split.values()) {
                if (!filter.split(split)) continue;
                for (Modality target : targets) {
                    for (TaskItem item : dataset.items(task, split)) out.add(planner.query(task, split, item, target));
                }
                for (int seed : study.seeds()) {
                    if (!filter.seed(seed)) continue;
                    for (ModalityPair pair : study.modalityPairs()) {
                        for (TaskItem item : dataset.items(task, split)) {
                            out.add(planner.context(task, seed, split, item, pair.source(), pair.target()));
                        }
                    }
                }
            }
        }
        return out;
    }
}
