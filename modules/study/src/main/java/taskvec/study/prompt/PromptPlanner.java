package taskvec.study.prompt;

import java.util.ArrayList;
import java.util.List;
import taskvec.study.StudyInputException;
import taskvec.study.data.Dataset;
import taskvec.study.data.Split;
import taskvec.study.data.TaskItem;
import taskvec.study.sampling.DemonstrationSampler;

/**
 * Builds the text of every prompt a study runs (no tokenizer needed): source prompts for
 * capture, zero-shot queries, and in-context baselines. Demonstrations come from the query's own
 * split, keyed by (task, seed, split, query item), so a val item's text-example source prompt and
 * its text->X context prompt share their demonstrations.
 *
 * @param imagePlaceholder the model's image placeholder string (null for text-only models: an
 *                         image prompt is then an error)
 */
public record PromptPlanner(Dataset dataset, int shots, String imagePlaceholder) {

    /** N demonstrations of spec's modality + the query (same modality); read at the last demo's ':'. */
    public PlannedPrompt source(String task, int seed, Split split, TaskItem query, Specification spec) {
        if (spec == Specification.INSTRUCTION) throw new IllegalArgumentException("use instruction() for instruction prompts");
        List<TaskItem> demos = DemonstrationSampler.sample(task, seed, split, query.id(), dataset.items(task, split), shots);
        return withDemos(task, seed, split, query, PromptRole.SOURCE, spec, spec.modality(), spec.modality(), demos, true);
    }

    /** N demonstrations of demoModality + a query of queryModality in one context (the paper's xBase). */
    public PlannedPrompt context(String task, int seed, Split split, TaskItem query, Modality demoModality, Modality queryModality) {
        List<TaskItem> demos = DemonstrationSampler.sample(task, seed, split, query.id(), dataset.items(task, split), shots);
        return withDemos(task, seed, split, query, PromptRole.CONTEXT, Specification.examples(demoModality), demoModality,
                queryModality, demos, false);
    }

    /** The zero-shot query alone. */
    public PlannedPrompt query(String task, Split split, TaskItem query, Modality modality) {
        List<String> images = new ArrayList<>();
        String text = PromptFormat.query(show(task, query, modality, images));
        return new PlannedPrompt(task, null, split, query.id(), PromptRole.QUERY, null, modality, text, images, List.of(), null);
    }

    /** The instruction, then the query on the next line (an instructed zero-shot answer; no read position). */
    public PlannedPrompt instructed(String task, String instruction, Split split, TaskItem query, Modality modality) {
        List<String> images = new ArrayList<>();
        String text = instruction + "\n" + PromptFormat.query(show(task, query, modality, images));
        return new PlannedPrompt(task, null, split, query.id(), PromptRole.CONTEXT, Specification.INSTRUCTION, modality, text, images,
                List.of(), null);
    }

    /** The instruction string alone; read at its last token. */
    public PlannedPrompt instruction(String task, String instruction) {
        return new PlannedPrompt(task, null, null, null, PromptRole.SOURCE, Specification.INSTRUCTION, Modality.TEXT,
                instruction, List.of(), List.of(), instruction);
    }

    private PlannedPrompt withDemos(String task, int seed, Split split, TaskItem query, PromptRole role, Specification spec,
                                    Modality demoModality, Modality queryModality, List<TaskItem> demos, boolean read) {
        StringBuilder text = new StringBuilder();
        List<String> images = new ArrayList<>();
        String readPrefix = null;
        for (TaskItem demo : demos) {
            String x = show(task, demo, demoModality, images);
            text.append(PromptFormat.demonstration(x, demo.output()));
        }
        if (read) {
            // the ':' after 'A' in the last demonstration: the text cut right after "A:" of demo N
            TaskItem last = demos.get(demos.size() - 1);
            int cut = text.length() - (last.output() + "\n\n").length();
            readPrefix = text.substring(0, cut);
        }
        text.append(PromptFormat.query(show(task, query, queryModality, images)));
        return new PlannedPrompt(task, seed, split, query.id(), role, spec, queryModality, text.toString(), images,
                DemonstrationSampler.ids(demos), readPrefix);
    }

    private String show(String task, TaskItem item, Modality modality, List<String> images) {
        if (modality == Modality.TEXT) return item.input();
        if (imagePlaceholder == null) {
            throw new StudyInputException("task '" + task + "': image prompts need a vision-language model (this model has no image placeholder)");
        }
        if (!item.hasImage()) {
            throw new StudyInputException(dataset.root() + ": task '" + task + "' item '" + item.id() + "' has no image, but an image prompt needs it");
        }
        images.add(item.image());
        return imagePlaceholder;
    }
}
